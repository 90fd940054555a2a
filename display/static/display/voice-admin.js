// The voice recording page: an admin records each clip of the call vocabulary in the browser
// (MediaRecorder), listens, records again if needed, and uploads it. Once every clip is
// recorded, the lobby TV uses the center's own voice.
import { ApiError, NETWORK_ERROR, api, get, post } from "/static/common/api.js";
import { ClipBank, clipUrls, playChime, playClips } from "./announcer.js";
import { T } from "./voice-admin-strings.js";

const MAX_RECORDING_MS = 8000;
const RECORDING_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm"];

const $ = (id) => document.getElementById(id);

let info = null; // GET /api/voice
const takes = new Map(); // key → a new recording (Blob), not uploaded yet
let recorder = null;
let recordingKey = null;
let stopTimer = null;
let microphone = null;
let audioContext = null;
let playing = null;

function message(text, kind = "info") {
  const box = $("message");
  box.textContent = text || "";
  box.dataset.kind = kind;
}

function button(label, action, className = "") {
  const node = document.createElement("button");
  node.type = "button";
  node.textContent = label;
  node.dataset.action = action;
  if (className) node.className = className;
  return node;
}

function formatWhen(iso) {
  if (!iso) return "";
  const [day, time] = iso.split("T");
  const [y, m, d] = day.split("-");
  return `${time.slice(0, 5)} ${d}/${m}/${y}`;
}

function clipByKey(key) {
  return info.clips.find((clip) => clip.key === key);
}

function renderProgress() {
  const complete = info.recorded === info.total;
  $("progress").textContent = complete ? T.progressDone(info.total) : T.progressMissing(info.total - info.recorded, info.total);
  $("progress").dataset.complete = String(complete);
  $("progress-hint").textContent = complete ? T.hintDone : T.hintMissing;
}

function row(clip) {
  const item = document.createElement("li");
  item.className = "clip";
  item.dataset.key = clip.key;
  item.dataset.recorded = String(clip.recorded);
  const take = takes.get(clip.key);
  const text = document.createElement("p");
  text.className = "clip-text";
  const words = document.createElement("span");
  words.className = "clip-words";
  words.textContent = clip.text;
  text.append(words);
  const hint = T.hint(clip.key);
  if (hint) text.append(" ", Object.assign(document.createElement("span"), { className: "clip-hint", textContent: hint }));
  const status = document.createElement("p");
  status.className = "clip-status";
  status.textContent =
    recordingKey === clip.key
      ? T.recording
      : take
        ? T.newTake
        : clip.recorded
          ? T.recorded(formatWhen(clip.recorded_at), clip.recorded_by)
          : T.notRecorded;
  item.dataset.state = recordingKey === clip.key ? "recording" : take ? "take" : clip.recorded ? "recorded" : "missing";
  const actions = document.createElement("div");
  actions.className = "clip-actions";
  if (recordingKey === clip.key) {
    actions.append(button(T.stop, "stop", "danger"));
  } else if (take) {
    actions.append(button(T.listen, "listen"), button(T.redo, "record"), button(T.upload, "upload", "primary"));
  } else {
    actions.append(button(clip.recorded ? T.redo : T.record, "record", "primary"));
    if (clip.recorded) actions.append(button(T.listen, "listen"));
  }
  const chooser = document.createElement("label");
  chooser.className = "file-button";
  chooser.textContent = T.chooseFile;
  const input = document.createElement("input");
  input.type = "file";
  input.accept = "audio/webm,audio/ogg,audio/wav,audio/mpeg,.webm,.ogg,.wav,.mp3";
  input.dataset.action = "file";
  chooser.append(input);
  actions.append(chooser);
  if (clip.recorded && !take && recordingKey !== clip.key) actions.append(button(T.remove, "remove", "quiet"));
  item.append(text, status, actions);
  return item;
}

function renderRow(key) {
  const old = document.querySelector(`.clip[data-key="${key}"]`);
  if (old) old.replaceWith(row(clipByKey(key)));
}

function renderList() {
  $("clips").replaceChildren(...info.clips.map(row));
  renderProgress();
}

async function loadVoice() {
  info = await get("/api/voice");
  renderList();
}

async function startRecording(key) {
  if (recorder) stopRecording();
  if (!("MediaRecorder" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    message(T.noRecorder, "error");
    return;
  }
  try {
    microphone = microphone || (await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true } }));
  } catch {
    message(T.noMicrophone, "error");
    return;
  }
  const mimeType = RECORDING_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
  const chunks = [];
  const current = new MediaRecorder(microphone, mimeType ? { mimeType } : {});
  current.ondataavailable = (event) => event.data.size && chunks.push(event.data);
  current.onstop = () => {
    const type = (current.mimeType || "audio/webm").split(";")[0];
    takes.set(key, new Blob(chunks, { type }));
    renderRow(key);
  };
  recorder = current;
  recordingKey = key;
  current.start();
  stopTimer = setTimeout(stopRecording, MAX_RECORDING_MS);
  message("");
  renderRow(key);
}

function stopRecording() {
  clearTimeout(stopTimer);
  const [current, key] = [recorder, recordingKey];
  recorder = null;
  recordingKey = null;
  if (current && current.state !== "inactive") current.stop();
  else if (key) renderRow(key);
}

function listen(key) {
  if (playing) playing.pause();
  const take = takes.get(key);
  const clip = clipByKey(key);
  const url = take ? URL.createObjectURL(take) : clip.url;
  playing = new Audio(url);
  playing.play().catch(() => message(T.playFailed, "error"));
}

async function upload(key) {
  const take = takes.get(key);
  if (!take) return;
  message(T.uploading);
  let response;
  try {
    response = await fetch(`/api/voice/clips/${encodeURIComponent(key)}`, {
      method: "PUT",
      headers: { "Content-Type": take.type || "audio/webm", Accept: "application/json" },
      body: take,
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "network_error", NETWORK_ERROR);
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || "http_error", error.message || NETWORK_ERROR);
  }
  takes.delete(key);
  await loadVoice();
  message(T.uploaded(data.text), "ok");
}

async function remove(key) {
  const clip = clipByKey(key);
  if (!window.confirm(T.confirmRemove(clip.text))) return;
  await api("DELETE", `/api/voice/clips/${encodeURIComponent(key)}`);
  await loadVoice();
  message(T.removed(clip.text), "ok");
}

async function playSample() {
  audioContext = audioContext || new AudioContext();
  await audioContext.resume();
  const urls = clipUrls(info, "mixed");
  const keys = info.sample.clips;
  if (!keys.every((key) => urls[key])) {
    message(T.sampleUnavailable, "error");
    return;
  }
  message(info.sample.text);
  await playChime(audioContext);
  await playClips(audioContext, new ClipBank(audioContext, urls), keys);
}

async function act(action, key, target) {
  try {
    if (action === "record") await startRecording(key);
    else if (action === "stop") stopRecording();
    else if (action === "listen") listen(key);
    else if (action === "upload") await upload(key);
    else if (action === "remove") await remove(key);
    else if (action === "file" && target.files.length) {
      takes.set(key, target.files[0]);
      renderRow(key);
    }
  } catch (error) {
    message(error.message, "error");
  }
}

function showLogin(text = "") {
  $("login-view").hidden = false;
  $("voice-view").hidden = true;
  $("who").hidden = true;
  message(text, text ? "error" : "info");
  $("username").focus();
}

async function showVoice(user) {
  $("login-view").hidden = true;
  $("voice-view").hidden = false;
  $("who").hidden = false;
  $("who-name").textContent = T.who(user.username);
  message("");
  await loadVoice();
}

async function login(event) {
  event.preventDefault();
  try {
    const user = await post("/api/session", { username: $("username").value.trim(), password: $("password").value });
    $("password").value = "";
    if (user.role === "admin") await showVoice(user);
    else showLogin(T.notAdmin(user.username));
  } catch (error) {
    message(error.message, "error");
  }
}

async function start() {
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = T[node.dataset.t];
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", async () => {
    await api("DELETE", "/api/session").catch(() => {});
    showLogin();
  });
  $("sample").addEventListener("click", () => playSample().catch((error) => message(error.message, "error")));
  $("clips").addEventListener("click", (event) => {
    const target = event.target.closest("button[data-action]");
    if (target) act(target.dataset.action, target.closest(".clip").dataset.key, target);
  });
  $("clips").addEventListener("change", (event) => {
    const target = event.target.closest("input[data-action]");
    if (target) act("file", target.closest(".clip").dataset.key, target);
  });
  try {
    const user = await get("/api/session");
    if (user.role === "admin") await showVoice(user);
    else showLogin(T.notAdmin(user.username));
  } catch (error) {
    if (error.status === 401) showLogin();
    else message(error.message, "error");
  }
}

start();
