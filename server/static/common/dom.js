// A tiny element builder shared by the kiosk, the ticket page and the admin page:
// h("p", {class: "x"}, "text"). Text is always set as text (never parsed as HTML); `value`
// is set as the property, so an input shows it whatever the user typed before.

export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "value") element.value = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false || child === "") continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

export function replaceChildren(element, ...children) {
  element.replaceChildren();
  append(element, children);
}
