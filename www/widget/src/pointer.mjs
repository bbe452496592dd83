// A message that appears while the donor's pointer is down (the blur of a mousedown) would move
// what they are clicking: such checks wait until the click is over.

let pointerDown = false;
/** Whatever must check again once the pointer is up. @type {Set<{ validate(): unknown }>} */
const waiting = new Set();

/** True while a pointer (mouse button, finger, pen) is down on the page. */
export const isPointerDown = () => pointerDown;

/** Checks `widget` again once the pointer is up. @param {{ validate(): unknown }} widget */
export const afterPointerUp = (widget) => { waiting.add(widget); };

/** Listens for the pointer on the whole document (capture, before the page's own handlers). */
export function watchPointer() {
  const up = () => {
    pointerDown = false;
    setTimeout(() => { waiting.forEach((widget) => widget.validate()); waiting.clear(); });
  };
  document.addEventListener('pointerdown', () => { pointerDown = true; }, true);
  document.addEventListener('pointerup', up, true);
  document.addEventListener('pointercancel', up, true);
}
