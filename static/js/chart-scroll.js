// A chart too wide for a phone scrolls sideways: it opens on the latest
// visits, which are what a physio looks at first, and its
// vertical axis (the pain scale) is pinned to the left edge so the points can
// still be read there.
document.querySelectorAll(".chart-scroll").forEach(function (box) {
  var chart = box.querySelector("svg");
  if (!chart || box.scrollWidth <= box.clientWidth) { return; }
  var labels = Array.prototype.slice.call(chart.querySelectorAll("text.axis[text-anchor='end']"));
  if (labels.length) {
    var view = chart.viewBox.baseVal;
    var left = Math.max.apply(null, labels.map(function (label) { return label.x.baseVal[0].value; })) + 2;
    var scale = chart.getBoundingClientRect().width / view.width;
    var svg = chart.namespaceURI;
    var pin = document.createElementNS(svg, "svg");
    pin.setAttribute("viewBox", "0 0 " + left + " " + view.height);
    pin.setAttribute("width", String(left * scale));
    pin.setAttribute("height", String(view.height * scale));
    pin.setAttribute("class", "chart-axis-pin");
    pin.setAttribute("aria-hidden", "true");
    var ground = document.createElementNS(svg, "rect");
    ground.setAttribute("width", String(left));
    ground.setAttribute("height", String(view.height));
    ground.setAttribute("class", "chart-axis-ground");
    pin.appendChild(ground);
    labels.forEach(function (label) { pin.appendChild(label.cloneNode(true)); });
    box.parentNode.insertBefore(pin, box);
  }
  // The latest point near the right edge (the axis may run on to today, past the last visit).
  var scale = chart.getBoundingClientRect().width / chart.viewBox.baseVal.width;
  var latest = Math.max.apply(null, Array.prototype.map.call(chart.querySelectorAll(".marker"), function (m) {
    return m.cx ? m.cx.baseVal.value : m.x.baseVal.value + m.width.baseVal.value;
  }).concat([0]));
  box.scrollLeft = latest ? latest * scale + 24 - box.clientWidth : box.scrollWidth;
  // The exit thresholds' labels end where the opened view ends, not off its right edge.
  var right = (box.scrollLeft + box.clientWidth) / scale - 6;
  chart.querySelectorAll("text.threshold-label").forEach(function (label) {
    if (label.x.baseVal[0].value > right) {
      label.setAttribute("x", String(right));
      label.setAttribute("dx", "0");
    }
  });
});
