// The original of a disclosure, opened where a figure was printed (templates/budgets/document.html).
// A PDF is drawn by pdf.js (npm's pdfjs-dist, served as static/pdfjs/ and static/pdfjs-web/) at the
// cited page; any other document is its text, already scrolled to the cited line. In both, the
// figure as printed (`find`) is looked for in the text there and wrapped in
// <span class="figure-highlight">: on a PDF page that text is pdf.js's text layer, transparent
// glyphs laid exactly over the drawn ones, so the highlight sits on the printed figure.

const HIGHLIGHT = "figure-highlight";
const DIGITS = "０１２３４５６７８９";
const MIN_SCALE = 0.8;

// Scroll `box` (not the window: the message above it stays in view) to put `element` in its middle.
function centre(box, element) {
  const inner = element.getBoundingClientRect();
  const outer = box.getBoundingClientRect();
  box.scrollTop += inner.top - outer.top - (box.clientHeight - inner.height) / 2;
  box.scrollLeft += inner.left - outer.left - (box.clientWidth - inner.width) / 2;
}

// The page says what it found in words the server put in the reader's language.
function say(element, message) {
  element.textContent = message;
  element.hidden = false;
}

// The text under `root` as one string of comparable characters, each mapped back to the text
// node and offset it came from. Full-width digits and points read as ASCII; a comma or space
// between digits (2,961.68 / 2 961.68) is dropped; other white space, and the gap between two
// text nodes when `joinNodes` is false, becomes one space, so that two neighbouring cells
// (296.93 and 258.93) never read as one number.
function readText(root, joinNodes) {
  const chars = [];
  const where = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const gap = () => {
    if (chars.length && chars[chars.length - 1] !== " ") {
      chars.push(" ");
      where.push(null);
    }
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!joinNodes) gap();
    const text = node.data;
    for (let i = 0; i < text.length; i++) {
      let ch = text[i];
      const digit = DIGITS.indexOf(ch);
      if (digit >= 0) ch = String(digit);
      else if (ch === "．") ch = ".";
      if (/[\s,，]/.test(ch)) {
        const before = chars[chars.length - 1];
        const after = text[i + 1];
        if (/[,，]/.test(ch) && /\d/.test(before || "") && /\d/.test(after || "")) continue;
        gap();
        continue;
      }
      chars.push(ch);
      where.push([node, i]);
    }
  }
  return { text: chars.join(""), where };
}

// A number as a canonical string: 02,961.680 → 2961.68, 0.30 → 0.3, 8 → 8.
function canonical(number) {
  let [whole, fraction = ""] = number.replace(/[,，\s]/g, "").split(".");
  whole = whole.replace(/^0+(?=\d)/, "");
  fraction = fraction.replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole;
}

function standsAlone(text, start, end) {
  // Not the tail or head of a longer number: 296.93 is not found inside 1296.93 or 296.935.
  const before = text[start - 1] || "";
  const after = text.slice(end, end + 2);
  return !/[\d.]/.test(before) && !/^\d|^\.\d/.test(after);
}

// [start, end) ranges of `find` in `text`: the text as printed first (减少583.26万元), else any
// number of the same value (394.3 for 394.30).
function matches(text, find) {
  const wanted = readTextOf(find);
  const found = [];
  const numeric = /^\d/.test(wanted);
  for (let at = text.indexOf(wanted); wanted && at >= 0; at = text.indexOf(wanted, at + 1)) {
    if (!numeric || standsAlone(text, at, at + wanted.length)) found.push([at, at + wanted.length]);
  }
  const number = wanted.match(/\d+(?:\.\d+)?/);
  if (found.length || !number) return found;
  const value = canonical(number[0]);
  for (const token of text.matchAll(/\d+(?:\.\d+)?/g)) {
    const end = token.index + token[0].length;
    if (canonical(token[0]) === value && standsAlone(text, token.index, end)) found.push([token.index, end]);
  }
  return found;
}

function readTextOf(find) {
  const holder = document.createElement("span");
  holder.textContent = find;
  return readText(holder, true).text.trim();
}

// Wrap each text node's share of a range in a highlight span; returns the spans.
function wrap(where, start, end) {
  const pieces = new Map();
  for (let i = start; i < end; i++) {
    if (!where[i]) continue;
    const [node, offset] = where[i];
    const piece = pieces.get(node) || [offset, offset];
    piece[1] = offset + 1;
    pieces.set(node, piece);
  }
  const spans = [];
  for (const [node, [from, to]] of pieces) {
    const range = document.createRange();
    range.setStart(node, from);
    range.setEnd(node, to);
    const span = document.createElement("span");
    span.className = HIGHLIGHT;
    range.surroundContents(span);
    spans.push(span);
  }
  return spans;
}

// Highlight every printing of `find` under `root`; the first highlight span, or null.
export function highlight(root, find) {
  if (!find) return null;
  for (const joinNodes of [false, true]) {
    const { text, where } = readText(root, joinNodes);
    const ranges = matches(text, find);
    if (!ranges.length) continue;
    // Wrapping splits text nodes, which moves the offsets of later ranges: wrap from the end.
    const spans = ranges.reverse().flatMap(([start, end]) => wrap(where, start, end));
    return spans[spans.length - 1];
  }
  return null;
}

async function openPdf(root) {
  const { url, find } = root.dataset;
  const wanted = Number(root.dataset.page) || 1;
  const status = document.getElementById("find-status");
  const pageNumber = document.getElementById("pdf-page-number");
  const container = document.getElementById("pdf-container");
  const pdfjsLib = await import(root.dataset.pdfjs);
  pdfjsLib.GlobalWorkerOptions.workerSrc = root.dataset.worker;
  // pdf_viewer.mjs reads the library from globalThis.pdfjsLib, which pdf.mjs sets.
  const { EventBus, PDFLinkService, PDFViewer } = await import(root.dataset.pdfjsViewer);
  const eventBus = new EventBus();
  const linkService = new PDFLinkService({ eventBus });
  const viewer = new PDFViewer({ container, eventBus, linkService });
  linkService.setViewer(viewer);
  let page = wanted;
  let scrolled = false;

  eventBus.on("pagesinit", () => {
    // The page's width, unless that makes its print too small to read (a phone): then its own
    // size, scrolled sideways to the figure.
    viewer.currentScaleValue = "page-width";
    if (viewer.currentScale < MIN_SCALE) viewer.currentScale = 1;
    if (wanted > viewer.pagesCount) {
      say(status, root.dataset.missingPage);
      page = 1;
    }
    viewer.currentPageNumber = page;
    pageNumber.value = page;
    document.getElementById("pdf-page-count").textContent = viewer.pagesCount;
  });
  eventBus.on("pagechanging", (event) => {
    pageNumber.value = event.pageNumber;
  });
  // pdf.js draws a page's text layer again after zooming, or when a page scrolled far away
  // comes back: highlight it each time, and scroll to the figure the first time.
  eventBus.on("textlayerrendered", (event) => {
    if (event.pageNumber !== page || !find || page !== wanted) return;
    const layer = event.source.textLayer.div;
    if (layer.querySelector(`.${HIGHLIGHT}`)) return;
    const first = highlight(layer, find);
    if (scrolled) return;
    scrolled = true;
    if (first) {
      centre(container, first);
      say(status, root.dataset.found);
    } else {
      say(status, root.dataset.notFound);
    }
  });
  root.querySelector(".pdf-toolbar").addEventListener("click", (event) => {
    const action = event.target.closest("button")?.dataset.action;
    if (action === "previous") viewer.previousPage();
    if (action === "next") viewer.nextPage();
    if (action === "zoom-in") viewer.increaseScale();
    if (action === "zoom-out") viewer.decreaseScale();
  });

  try {
    const pdf = await pdfjsLib.getDocument({
      url,
      cMapUrl: root.dataset.cmaps,
      cMapPacked: true,
      standardFontDataUrl: root.dataset.fonts,
      // No code made from the document's fonts (the site's CSP allows no eval).
      isEvalSupported: false,
    }).promise;
    viewer.setDocument(pdf);
    linkService.setDocument(pdf);
  } catch (error) {
    say(status, root.dataset.failed);
    throw error;
  }
}

// The cited line, and the lines its paragraph or table row runs on to (a text saved from Word
// prints a row's cells one per line): the figure is highlighted wherever it is among them.
function showLine(status) {
  const { find, line } = status.dataset;
  const target = document.getElementById(`L${line}`);
  if (!target) return;
  const box = target.closest(".document-text");
  centre(box, target);
  if (!find) return;
  const found = [...document.querySelectorAll(".text-line.target .text")]
    .map((text) => highlight(text, find))
    .filter(Boolean);
  if (found.length) centre(box, found[0]);
  say(status, found.length ? status.dataset.found : status.dataset.notFound);
}

const pdfViewer = document.getElementById("pdf-viewer");
if (pdfViewer) {
  openPdf(pdfViewer);
} else {
  const status = document.getElementById("find-status");
  if (status) showLine(status);
}
