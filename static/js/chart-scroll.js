// A chart too wide for a phone scrolls sideways: it opens at its right-hand
// end, on the latest visits, which are what a physio looks at first.
document.querySelectorAll(".chart-scroll").forEach(function (box) {
  box.scrollLeft = box.scrollWidth;
});
