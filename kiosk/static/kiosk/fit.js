// Shrinks a screen's type, a step at a time, until nothing in it spills out of its box (a
// long checklist, a long procedure name): the kiosk never scrolls and never clips a word.
// Every size inside a screen is in em, so one font-size scales the whole step.
const SMALLEST = 0.6;
const BOX_SLACK = 2; // px of rounding

// Whether a box's children reach outside its content box (into its padding or beyond).
function childrenSpill(element, style) {
  const box = element.getBoundingClientRect();
  const top = box.top + parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop);
  const bottom = box.bottom - parseFloat(style.borderBottomWidth) - parseFloat(style.paddingBottom);
  const left = box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft);
  const right = box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
  for (const child of element.children) {
    if (["absolute", "fixed"].includes(getComputedStyle(child).position)) continue;
    const inner = child.getBoundingClientRect();
    if (inner.width === 0 && inner.height === 0) continue;
    if (inner.top < top - BOX_SLACK || inner.bottom > bottom + BOX_SLACK) return true;
    if (inner.left < left - BOX_SLACK || inner.right > right + BOX_SLACK) return true;
  }
  return false;
}

// Whether a run of text is taller or wider than its box; accents may poke a little above a
// tight line-height, a whole line may not.
function textSpills(element, style) {
  const slack = Math.max(BOX_SLACK, 0.3 * parseFloat(style.fontSize));
  return element.scrollHeight > element.clientHeight + slack || element.scrollWidth > element.clientWidth + slack;
}

const describe = (element) =>
  `${element.tagName.toLowerCase()}.${[...element.classList].join(".")} "${element.textContent.slice(0, 40)}"`;

// What spills out of its box in a screen, described for a test's message (first `limit`).
export function spilling(root, limit = Infinity) {
  const found = [];
  if (root.scrollHeight > root.clientHeight + 1 || root.scrollWidth > root.clientWidth + 1) found.push(describe(root));
  for (const element of [root, ...root.querySelectorAll("*")]) {
    if (found.length >= limit) break;
    if (!(element instanceof HTMLElement) || element.clientHeight === 0) continue;
    const style = getComputedStyle(element);
    if (style.display === "inline" || ["absolute", "fixed"].includes(style.position)) continue;
    if (element.childElementCount > 0 ? childrenSpill(element, style) : textSpills(element, style)) {
      found.push(describe(element));
    }
  }
  return found;
}

export const overflowing = (root) => spilling(root, 1).length > 0;

export function fitToScreen(screen) {
  let scale = 1;
  screen.style.fontSize = "";
  while (scale > SMALLEST && overflowing(screen)) {
    scale = Math.round((scale - 0.05) * 100) / 100;
    screen.style.fontSize = `${scale}em`;
  }
  screen.dataset.scale = String(scale);
}
