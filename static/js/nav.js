/* On a phone, the member links of the header are one row that scrolls sideways (app.css):
 * bring the current page's link into that row's view when it lies beyond the edge. Only
 * the row scrolls, never the page. Without JavaScript the row simply starts at its left. */
(function () {
  "use strict";
  var row = document.querySelector(".site-nav-member ul");
  var current = row && row.querySelector("a[aria-current='page']");
  if (!current || row.scrollWidth <= row.clientWidth) { return; }
  var item = current.parentElement;
  var end = item.offsetLeft - row.offsetLeft + item.offsetWidth;
  var fade = row.clientWidth * 0.15;  // the faded edge of app.css's mask
  if (end > row.clientWidth - fade) {
    row.scrollLeft = end - row.clientWidth + fade;
  }
})();
