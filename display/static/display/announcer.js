// Says each call aloud: a chime, then the sentence twice. One call at a time, in the order
// of the calls (seq), never overlapping; two calls in the same second are both said.
//
// Clip sets, chosen once the page knows what the server has (GET /api/voice):
//   "recorded" the center's own clips, once every clip of the vocabulary is recorded;
//   "speech"   else a vi-VN voice of the browser's speechSynthesis, reading the sentence text;
//   "espeak"   else the clips rendered with espeak-ng at install time;
//   "none"     else the chime alone.
// Clips are joined with WebAudio after trimming their silence, so a sentence flows.

const CLIP_GAP = 0.06; // seconds between two words
const PHRASE_GAP = 0.22; // around the number: after the intro, before "đến quầy số"
const REPEAT_GAP = 0.9; // between the two readings
const SPEECH_WAIT_MS = 1500; // how long the browser may take to list its voices
const UNLOCK_WAIT_MS = 400;

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

// Fetches and decodes clips once, keeps them.
export class ClipBank {
  constructor(context, urls) {
    this.context = context;
    this.urls = urls;
    this.buffers = new Map();
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

  preload() {
    return Promise.allSettled(Object.keys(this.urls).map((key) => this.buffer(key)));
  }
}

// Plays scheduled sources and resolves when the last one ends (or a little after, in case
// `ended` never comes).
function playScheduled(context, schedule) {
  return new Promise((resolve) => {
    const start = context.currentTime + 0.05;
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

export async function playClips(context, bank, keys) {
  const buffers = await Promise.all(keys.map((key) => bank.buffer(key)));
  const schedule = [];
  let offset = 0;
  keys.forEach((key, index) => {
    schedule.push([buffers[index], offset]);
    const next = keys[index + 1];
    const gap = key === "intro" || next === "to_counter" ? PHRASE_GAP : CLIP_GAP;
    offset += buffers[index].duration + gap;
  });
  await playScheduled(context, schedule);
}

// A two-tone "ding-dong", generated: nothing to download.
export async function playChime(context) {
  const start = context.currentTime + 0.05;
  const notes = [
    [659.25, 0],
    [523.25, 0.45],
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
      gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 1.1);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + at);
      oscillator.stop(start + at + 1.15);
    }
  }
  await sleep(1600);
}

class SpeechBlocked extends Error {}

function speak(text, voice) {
  return new Promise((resolve, reject) => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.voice = voice;
    utterance.lang = voice ? voice.lang : "vi-VN";
    utterance.rate = 0.9;
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

// The queue of calls to announce. `window.announcer` on the TV, for people and tests:
// activeSet, queue (waiting), current (being said), history (said or passed over, oldest first).
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
    this.running = false;
    this.configured = new Promise((resolve) => (this.resolveConfigured = resolve));
  }

  // Choose the clip set from GET /api/voice's answer (again after a reconnection).
  async configure(voiceInfo) {
    const { set, voice } = await chooseSet(voiceInfo);
    this.voice = voice;
    if (!this.context && "AudioContext" in window) this.context = new AudioContext();
    if (set === "recorded" || set === "espeak") {
      this.bank = new ClipBank(this.context, clipUrls(voiceInfo, set));
      this.bank.preload();
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

  // A ticket_called event (a recall too). A call of a ticket already waiting to be said is
  // said once.
  enqueue(call) {
    const item = {
      seq: call.seq,
      number: call.number,
      counter_id: call.counter_id,
      counter_name: call.counter_name,
      recall: Boolean(call.recall),
      text: call.announcement ? call.announcement.text : "",
      clips: call.announcement ? call.announcement.clips : [],
      received_at: Date.now(),
    };
    if (this.queue.some((queued) => queued.number === item.number)) return; // a number is unique within its day
    const at = this.queue.findIndex((queued) => queued.seq > item.seq);
    if (at === -1) this.queue.push(item);
    else this.queue.splice(at, 0, item);
    this.kick();
  }

  async kick() {
    if (this.running) return;
    this.running = true;
    try {
      await this.configured;
      while (this.queue.length) {
        const item = this.queue.shift();
        if (this.isStale(item)) {
          this.history.push({ ...item, set: this.activeSet, status: "skipped" });
          continue;
        }
        this.current = item;
        this.onStart(item);
        const status = await this.say(item);
        this.history.push({ ...item, set: this.activeSet, status, ended_at: Date.now() });
        if (this.history.length > 200) this.history.shift();
        this.current = null;
      }
    } finally {
      this.running = false;
    }
  }

  // Chime, sentence, pause, sentence. Returns "spoken", "chime" (no voice), "silent"
  // (sound not allowed yet) or "failed".
  async say(item) {
    if (!this.context || this.blocked) return "silent";
    try {
      await playChime(this.context);
      if (this.activeSet === "none") return "chime";
      for (let time = 0; time < 2; time++) {
        if (time) await sleep(REPEAT_GAP * 1000);
        if (this.activeSet === "speech") await speak(item.text, this.voice);
        else await playClips(this.context, this.bank, item.clips);
      }
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
