// The side panel's four lists as tabs: the line ("Đang chờ: 37"), today's no-shows of the
// counter, the officer's finished tickets of today, the dossiers due (watch.js). Arrow keys
// move between tabs (the ARIA tabs pattern); the line is the tab shown after every login.
const TABS = ["waiting", "no-shows", "finished", "watch"];
const $ = (id) => document.getElementById(id);

export function showTab(name, { focus = false } = {}) {
  for (const tab of TABS) {
    const selected = tab === name;
    const button = $(`tab-${tab}`);
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    $(`panel-${tab}`).hidden = !selected;
    if (selected && focus) button.focus();
  }
}

export function wireTabs() {
  for (const [index, tab] of TABS.entries()) {
    const button = $(`tab-${tab}`);
    button.addEventListener("click", () => showTab(tab));
    button.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      event.preventDefault();
      showTab(TABS[(index + step + TABS.length) % TABS.length], { focus: true });
    });
  }
}
