// The budget-year page's "cite" buttons: one beside each figure, line item and indicator that
// has a permalink anchor (budgets/anchors.py). Pressing one fills the page's cite box with the
// figure's citation in Chinese and English (budgets/citations.py) and opens it.
(function () {
  "use strict";
  const box = document.getElementById("cite-box");
  if (!box) return;
  const permalink = document.getElementById("cite-permalink");

  // On a phone the box is a sheet over the lower part of the screen (static/css/site.css): the
  // row it cites is brought to the top, marked, so that the reader sees which figure it is.
  const phone = window.matchMedia("(max-width: 600px)");

  function open(row) {
    const anchor = row.id;
    fetch(box.dataset.url.replace("ANCHOR", encodeURIComponent(anchor)), { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((citation) => {
        document.getElementById("cite-zh").textContent = citation.zh;
        document.getElementById("cite-en").textContent = citation.en;
        permalink.href = citation.permalink;
        permalink.textContent = citation.permalink;
        box.dataset.anchor = anchor;
        unmark();
        row.classList.add("citing");
        if (phone.matches) row.scrollIntoView({ block: "start" });
        if (!box.open) box.showModal();
      });
  }

  function unmark() {
    document.querySelectorAll("tr.citing").forEach((row) => row.classList.remove("citing"));
  }

  box.addEventListener("close", unmark);

  document.querySelectorAll("tr[id^='fig-'], tr[id^='line-'], tr[id^='indicator-']").forEach((row) => {
    const cell = row.querySelector("th[scope='row']") || row.cells[0];
    if (!cell) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "cite";
    button.textContent = box.dataset.button;
    button.title = box.dataset.buttonTitle;
    button.dataset.cite = row.id;
    button.addEventListener("click", () => open(row));
    cell.append(" ", button);
  });
})();
