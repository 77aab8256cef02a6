// A pad to sign on: a canvas drawn on with pointer events, so a mouse, a
// finger and a pen all draw (CSS touch-action: none keeps a finger from
// scrolling the page instead). Each stroke follows the pointer that began it.

const INK = "#14203c";
const LINE_WIDTH = 2.5; // CSS pixels
// Pixels per CSS pixel: sharp on a phone, and a PNG far below the server's
// 2,000-pixel limit however wide the pad is drawn.
const MAX_SCALE = 2;

/** The pad on ``canvas``: clear(), isEmpty(), png() (a data: URL). */
export function signaturePad(canvas) {
  const context = canvas.getContext("2d");
  let strokes = 0;
  let drawing = null; // the pointerId of the stroke being drawn
  let last = null; // where it is

  function clear() {
    const scale = Math.min(window.devicePixelRatio || 1, MAX_SCALE);
    const box = canvas.getBoundingClientRect();
    canvas.width = Math.round(box.width * scale);
    canvas.height = Math.round(box.height * scale);
    context.setTransform(scale, 0, 0, scale, 0, 0);
    Object.assign(context, { lineWidth: LINE_WIDTH, lineCap: "round", lineJoin: "round",
      strokeStyle: INK });
    strokes = 0;
  }

  function at(event) {
    const box = canvas.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  }

  function lineTo(point) {
    context.beginPath();
    context.moveTo(...last);
    context.lineTo(...point);
    context.stroke();
    last = point;
  }

  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    drawing = event.pointerId;
    last = at(event);
    lineTo(last); // a dot, should the pointer not move
    strokes += 1;
  });
  canvas.addEventListener("pointermove", (event) => {
    if (event.pointerId !== drawing) return;
    for (const point of event.getCoalescedEvents?.() ?? [event]) lineTo(at(point));
  });
  for (const end of ["pointerup", "pointercancel"]) {
    canvas.addEventListener(end, (event) => {
      if (event.pointerId === drawing) drawing = null;
    });
  }

  return {
    clear,
    isEmpty: () => strokes === 0,
    png: () => canvas.toDataURL("image/png"),
  };
}
