// Copy buttons: <button data-copy-from="id"> puts the text of element `id` (a textarea's value)
// on the clipboard and says so on the button for a moment (data-copied, in the page's language).
(function () {
  "use strict";
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-copy-from]");
    if (!button) return;
    const source = document.getElementById(button.dataset.copyFrom);
    if (!source) return;
    const text = source.tagName === "TEXTAREA" ? source.value : source.textContent.trim();
    const label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    navigator.clipboard.writeText(text).then(
      () => {
        button.textContent = button.dataset.copied || "✓";
        setTimeout(() => {
          button.textContent = label;
        }, 2000);
      },
      // No clipboard (an insecure origin, a refused permission): select the text to copy by hand.
      () => {
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      },
    );
  });
})();
