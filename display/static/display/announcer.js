// Says each call aloud, in the order of the calls (seq), never overlapping; two calls in the
// same second are both said, and a recall is said again even while the first call still waits.
//
// One call is a short chime and its sentence once, within ~5 s ("Xin mời công dân có số thứ tự
// A không không hai đến quầy số một"). Calls that queue up while one is said follow it in the
// same run without a chime or the intro ("B không không một đến quầy số ba"), so four calls in
// one second are all heard within ~15 s instead of one every ~16 s.
//
// Clip sets, chosen once the page knows what the server has (GET /api/voice):
//   "recorded" the center's own clips, once every clip of the vocabulary is recorded;
//   "speech"   else a vi-VN voice of the browser's speechSynthesis, reading the sentence text;
//   "espeak"   else the clips rendered with espeak-ng at install time;
//   "none"     else the chime alone.
// Clips are joined with WebAudio after trimming their silence, so a sentence flows; a clip set
// too slow for the budget (espeak's, at 125 words a minute) is sped up without changing its
// pitch (stretch()), at most MAX_TEMPO.

const CLIP_GAP = 0.04; // seconds between two words
const PHRASE_GAP = 0.14; // around the number: after the intro, before "đến quầy số"
const CALL_GAP = 0.3; // between two calls said in one run
const CHIME_LEAD = 0.75; // the sentence starts as the chime's second note fades
const CALL_BUDGET = 5; // seconds for the chime and one sentence
const MAX_TEMPO = 1.5; // espeak's 125 words a minute read at ~190: still each word distinct
const SPEECH_RATE = 1.1; // a browser voice's rate (its length is not known in advance)
const SPEECH_WAIT_MS = 1500; // how long the browser may take to list its voices
const UNLOCK_WAIT_MS = 400;
const LOG_KEPT = 200;
const INTRO = "intro";

export const SETS = ["recorded", "speech", "espeak", "none"];

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// A vi-VN voice of speechSynthesis, or null (headless and kiosk Chromium usually have none).
export async function vietnameseVoice(waitMs = SPEECH_WAIT_MS) {
  if (!("speechSynthesis" in window)) return null;
  const find = () =>
    speechSynthesis.getVoices().find((v) => v.lang && v.lang.replace("_", "-").toLowerCase().startsWith("vi")) || null;
  let voice = find();
  if (voice || speechSynthesis.getVoices().length) return voice;
  await new Promise((resolve) => {
    const done = () => resolve();
    speechSynthesis.addEventListener("voiceschanged", done, { once: true });
    setTimeout(done, waitMs);
  });
  voice = find();
  return voice;
}

// Which clip set to use, from GET /api/voice's answer.
export async function chooseSet(voiceInfo) {
  if (voiceInfo && voiceInfo.complete) return { set: "recorded", voice: null };
  const voice = await vietnameseVoice();
  if (voice) return { set: "speech", voice };
  if (voiceInfo && voiceInfo.espeak) return { set: "espeak", voice: null };
  return { set: "none", voice: null };
}

// key → URL of the clip in a set ("recorded" or "espeak"); "mixed" takes the recording when
// there is one, else the espeak clip (the recording page's sample).
export function clipUrls(voiceInfo, set) {
  const urls = {};
  for (const clip of (voiceInfo && voiceInfo.clips) || []) {
    const url = set === "recorded" ? clip.url : set === "espeak" ? clip.espeak_url : clip.url || clip.espeak_url;
    if (url) urls[clip.key] = url;
  }
  return urls;
}

// The audio buffer without its leading and trailing silence (a few ms of margin kept).
function trimSilence(context, buffer) {
  const data = buffer.getChannelData(0);
  let peak = 0;
  for (let i = 0; i < data.length; i++) peak = Math.max(peak, Math.abs(data[i]));
  if (peak === 0) return buffer;
  const threshold = Math.max(0.01, peak * 0.06);
  let start = 0;
  let end = data.length - 1;
  while (start < end && Math.abs(data[start]) < threshold) start++;
  while (end > start && Math.abs(data[end]) < threshold) end--;
  const rate = buffer.sampleRate;
  start = Math.max(0, start - Math.round(rate * 0.03));
  end = Math.min(data.length, end + Math.round(rate * 0.06));
  const trimmed = context.createBuffer(buffer.numberOfChannels, end - start, rate);
  for (let channel = 0; channel < buffer.numberOfChannels; channel++) {
    trimmed.copyToChannel(buffer.getChannelData(channel).subarray(start, end), channel);
  }
  return trimmed;
}

// The buffer read faster (tempo > 1) at the same pitch: WSOLA. Frames of 30 ms are taken
// from the input every hop × tempo and laid every hop in the output; each frame is moved
// (within ±12 ms) to where it best continues the previous one, so no click or echo. Playing
// the buffer faster instead (playbackRate) would raise the voice by up to 7 semitones.
export function stretch(context, buffer, tempo) {
  if (tempo <= 1.01) return buffer;
  const rate = buffer.sampleRate;
  const frame = 2 * Math.round(rate * 0.015);
  const hop = frame / 2;
  const seek = Math.round(rate * 0.012);
  const input = buffer.getChannelData(0);
  const length = buffer.length;
  const outLength = Math.max(1, Math.floor(length / tempo));
  const window = new Float32Array(frame);
  for (let i = 0; i < frame; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / frame);
  const likeness = (at, natural, step) => {
    const end = Math.min(frame, length - natural, length - at);
    let sum = 0;
    for (let i = 0; i < end; i += step) sum += input[at + i] * input[natural + i];
    return sum;
  };
  const offsets = [];
  let previous = 0;
  for (let out = 0; out < outLength; out += hop) {
    const nominal = Math.min(Math.round(out * tempo), Math.max(0, length - frame));
    let best = nominal;
    const natural = previous + hop;
    if (out > 0 && natural < length) {
      const low = Math.max(0, nominal - seek);
      const high = Math.min(length - frame, nominal + seek);
      let score = -Infinity;
      for (let at = low; at <= high; at += 4) {
        const s = likeness(at, natural, 4);
        if (s > score) [score, best] = [s, at];
      }
      const around = best;
      for (let at = Math.max(low, around - 3); at <= Math.min(high, around + 3); at++) {
        const s = likeness(at, natural, 2);
        if (s > score) [score, best] = [s, at];
      }
    }
    offsets.push([out, best]);
    previous = best;
  }
  const result = context.createBuffer(buffer.numberOfChannels, outLength, rate);
  for (let channel = 0; channel < buffer.numberOfChannels; channel++) {
    const source = buffer.getChannelData(channel);
    const target = new Float32Array(outLength + frame);
    const weight = new Float32Array(outLength + frame);
    for (const [out, at] of offsets) {
      for (let i = 0; i < frame && at + i < length; i++) {
        target[out + i] += source[at + i] * window[i];
        weight[out + i] += window[i];
      }
    }
    const samples = result.getChannelData(channel);
    for (let i = 0; i < outLength; i++) samples[i] = weight[i] > 0.05 ? target[i] / weight[i] : target[i];
  }
  return result;
}

// Fetches and decodes clips once, keeps them (trimmed, and stretched to the bank's tempo).
export class ClipBank {
  constructor(context, urls) {
    this.context = context;
    this.urls = urls;
    this.buffers = new Map();
    this.tempo = 1;
    this.timed = new Map(); // key → the buffer at this.tempo
  }

  buffer(key) {
    if (!this.buffers.has(key)) {
      const url = this.urls[key];
      const loading = url
        ? fetch(url, { credentials: "same-origin" })
            .then((response) => {
              if (!response.ok) throw new Error(`${url}: ${response.status}`);
              return response.arrayBuffer();
            })
            .then((data) => this.context.decodeAudioData(data))
            .then((decoded) => trimSilence(this.context, decoded))
        : Promise.reject(new Error(`no clip for ${key}`));
      loading.catch(() => this.buffers.delete(key)); // try again next time
      this.buffers.set(key, loading);
    }
    return this.buffers.get(key);
  }

  // The clip as the announcer plays it: at the bank's tempo.
  async timedBuffer(key) {
    const buffer = await this.buffer(key);
    const cached = this.timed.get(key);
    if (cached && cached.tempo === this.tempo && cached.source === buffer) return cached.buffer;
    const timed = stretch(this.context, buffer, this.tempo);
    this.timed.set(key, { tempo: this.tempo, source: buffer, buffer: timed });
    return timed;
  }

  // The tempo at which `keys` (a typical sentence) fits `seconds`, between 1 and MAX_TEMPO.
  async fitTempo(keys, seconds) {
    const buffers = await Promise.all(keys.map((key) => this.buffer(key)));
    const natural = buffers.reduce((sum, buffer) => sum + buffer.duration, 0);
    const gaps = gapsOf(keys).reduce((sum, gap) => sum + gap, 0);
    this.tempo = Math.min(MAX_TEMPO, Math.max(1, natural / Math.max(0.5, seconds - gaps)));
    return this.tempo;
  }

  preload() {
    return Promise.allSettled(Object.keys(this.urls).map((key) => this.timedBuffer(key)));
  }
}

// The silence after each clip of a sentence: longer around the number.
function gapsOf(keys) {
  return keys.map((key, index) => {
    const next = keys[index + 1];
    if (next === undefined) return 0;
    return key === INTRO || next === "to_counter" ? PHRASE_GAP : CLIP_GAP;
  });
}

// Plays scheduled sources and resolves when the last one ends (or a little after, in case
// `ended` never comes).
function playScheduled(context, schedule, start = context.currentTime + 0.05) {
  return new Promise((resolve) => {
    let end = start;
    for (const [buffer, offset] of schedule) {
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      source.start(start + offset);
      end = Math.max(end, start + offset + buffer.duration);
    }
    setTimeout(resolve, (end - context.currentTime) * 1000 + 50);
  });
}

// [buffer, offset] of each clip of a sentence, and the sentence's length.
function sentenceSchedule(buffers, keys) {
  const gaps = gapsOf(keys);
  const schedule = [];
  let offset = 0;
  buffers.forEach((buffer, index) => {
    schedule.push([buffer, offset]);
    offset += buffer.duration + gaps[index];
  });
  return { schedule, length: offset };
}

// The clips of `keys` joined, as they are (the recording page's sample).
export async function playClips(context, bank, keys) {
  const buffers = await Promise.all(keys.map((key) => bank.buffer(key)));
  await playScheduled(context, sentenceSchedule(buffers, keys).schedule);
}

// A two-tone "ding-dong", generated: nothing to download. Starts at `start` (the context's
// time); the second note fades out ~CHIME_LEAD after it.
export function scheduleChime(context, start) {
  const notes = [
    [659.25, 0],
    [523.25, 0.24],
  ];
  for (const [frequency, at] of notes) {
    for (const [multiple, level] of [
      [1, 0.35],
      [2, 0.08],
      [3, 0.03],
    ]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency * multiple;
      gain.gain.setValueAtTime(0.0001, start + at);
      gain.gain.exponentialRampToValueAtTime(level, start + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 0.7);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + at);
      oscillator.stop(start + at + 0.75);
    }
  }
  return start + 0.95; // when the last note is silent
}

export async function playChime(context) {
  const start = context.currentTime + 0.05;
  const end = scheduleChime(context, start);
  await sleep((end - context.currentTime) * 1000);
}

class SpeechBlocked extends Error {}

function speak(text, voice) {
  return new Promise((resolve, reject) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice ? voice.lang : "vi-VN";
    utterance.rate = SPEECH_RATE;
    const timer = setTimeout(resolve, 20000);
    utterance.onend = () => {
      clearTimeout(timer);
      resolve();
    };
    utterance.onerror = (event) => {
      clearTimeout(timer);
      if (event.error === "not-allowed") reject(new SpeechBlocked(event.error));
      else resolve();
    };
    speechSynthesis.speak(utterance);
  });
}

// The words of a call said right after another one in the same run: without the intro.
function followUpClips(clips) {
  return clips[0] === INTRO ? clips.slice(1) : clips;
}

function followUpText(text, introText) {
  return introText && text.startsWith(introText) ? text.slice(introText.length).trim() : text;
}

// The queue of calls to announce. `window.announcer` on the TV, for people and tests:
// activeSet, queue (waiting), current (being said), history (said or passed over, oldest
// first: also `window.announcements`, the TV's announcement log). Each entry: seq, number,
// counter_id, counter_name, recall, queued_at, started_at, ended_at (Date.now() times),
// status ("spoken", "chime", "silent", "failed" or "skipped": no longer at its counter),
// set, intro (whether the sentence had its intro: the first of a run).
export class Announcer {
  constructor({ onStart = () => {}, onBlocked = () => {}, isStale = () => false } = {}) {
    this.onStart = onStart;
    this.onBlocked = onBlocked;
    this.isStale = isStale;
    this.activeSet = null; // chosen by configure()
    this.queue = [];
    this.current = null;
    this.history = [];
    this.blocked = false;
    this.context = null;
    this.bank = null;
    this.voice = null;
    this.introText = "";
    this.running = false;
    this.configured = new Promise((resolve) => (this.resolveConfigured = resolve));
  }

  // Choose the clip set from GET /api/voice's answer (again after a reconnection), and the
  // tempo at which the sample call fits the budget.
  async configure(voiceInfo) {
    const { set, voice } = await chooseSet(voiceInfo);
    this.voice = voice;
    const intro = ((voiceInfo && voiceInfo.clips) || []).find((clip) => clip.key === INTRO);
    this.introText = intro ? intro.text : "";
    if (!this.context && "AudioContext" in window) this.context = new AudioContext();
    if (set === "recorded" || set === "espeak") {
      const bank = new ClipBank(this.context, clipUrls(voiceInfo, set));
      const sample = voiceInfo.sample ? voiceInfo.sample.clips : [];
      await bank.fitTempo(sample, CALL_BUDGET - CHIME_LEAD - 0.2).catch(() => 1);
      await bank.preload(); // every clip decoded and stretched before the first call (~0.5 s)
      this.bank = bank;
    } else {
      this.bank = null;
    }
    this.activeSet = set;
    document.body.dataset.voice = set;
    await this.checkAutoplay();
    this.resolveConfigured();
    this.kick();
  }

  // Whether the browser lets the page play sound without a tap; asks once for one if not.
  async checkAutoplay() {
    if (!this.context) return;
    if (this.context.state !== "running") {
      this.context.resume().catch(() => {});
      await sleep(UNLOCK_WAIT_MS);
    }
    this.setBlocked(this.context.state !== "running");
  }

  setBlocked(blocked) {
    if (blocked && !this.blocked) this.onBlocked(true);
    if (!blocked && this.blocked) this.onBlocked(false);
    this.blocked = blocked;
  }

  // A tap: browsers allow sound from now on.
  async unlock() {
    if (this.context) await this.context.resume().catch(() => {});
    if (this.activeSet === "speech") speechSynthesis.speak(new SpeechSynthesisUtterance(""));
    this.setBlocked(Boolean(this.context) && this.context.state !== "running");
    this.kick();
  }

  // A ticket_called event (a recall too). Each call is said, even a recall of a number still
  // waiting to be said: the officer pressed it because the citizen did not come.
  enqueue(call) {
    const item = {
      seq: call.seq,
      number: call.number,
      counter_id: call.counter_id,
      counter_name: call.counter_name,
      recall: Boolean(call.recall),
      text: call.announcement ? call.announcement.text : "",
      clips: call.announcement ? call.announcement.clips : [],
      queued_at: Date.now(),
    };
    const known = (entry) => entry.seq === item.seq;
    if (this.queue.some(known) || (this.current && known(this.current)) || this.history.some(known)) return;
    const at = this.queue.findIndex((queued) => queued.seq > item.seq);
    if (at === -1) this.queue.push(item);
    else this.queue.splice(at, 0, item);
    this.kick();
  }

  log(item, fields) {
    this.history.push({ ...item, set: this.activeSet, ...fields });
    if (this.history.length > LOG_KEPT) this.history.shift();
  }

  async kick() {
    if (this.running) return;
    this.running = true;
    try {
      await this.configured;
      let first = true; // the first call of a run gets the chime and the intro
      while (this.queue.length) {
        const item = this.queue.shift();
        if (this.isStale(item)) {
          this.log(item, { status: "skipped", started_at: null, ended_at: Date.now() });
          continue;
        }
        this.current = item;
        const started_at = Date.now();
        this.onStart(item);
        const status = await this.say(item, first);
        this.log(item, { status, intro: first, started_at, ended_at: Date.now() });
        this.current = null;
        first = false;
        if (this.queue.length) await sleep(CALL_GAP * 1000);
      }
    } finally {
      this.running = false;
    }
  }

  // The chime (first of a run) and the sentence once. Returns "spoken", "chime" (no voice),
  // "silent" (sound not allowed yet) or "failed".
  async say(item, first) {
    if (!this.context || this.blocked) return "silent";
    try {
      if (this.activeSet === "none") {
        await playChime(this.context);
        return "chime";
      }
      if (this.activeSet === "speech") {
        if (first) await playChime(this.context);
        await speak(first ? item.text : followUpText(item.text, this.introText), this.voice);
        return "spoken";
      }
      const keys = first ? item.clips : followUpClips(item.clips);
      const buffers = await Promise.all(keys.map((key) => this.bank.timedBuffer(key)));
      let start = this.context.currentTime + 0.05;
      if (first) start = scheduleChime(this.context, start) - (0.95 - CHIME_LEAD);
      await playScheduled(this.context, sentenceSchedule(buffers, keys).schedule, start);
      return "spoken";
    } catch (error) {
      if (error instanceof SpeechBlocked) {
        this.setBlocked(true);
        return "silent";
      }
      console.warn("announcement failed", error);
      return "failed";
    }
  }
}
