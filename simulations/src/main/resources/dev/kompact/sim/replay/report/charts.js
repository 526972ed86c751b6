// Draws each chart of the page's data as an SVG: per series a band (lowest to highest seed) and the median line.
(function () {
  var errors = [];
  window.addEventListener('error', function (e) {
    errors.push(String(e.message));
    document.body.setAttribute('data-errors', errors.join(' | '));
  });
  var colours = {kompact: '#1b7837', karpenter: '#2166ac', ca: '#b2182b', none: '#777777'};
  var svgNs = 'http://www.w3.org/2000/svg';
  var W = 900, H = 260, L = 70, R = 150, T = 24, B = 36;

  function el(name, attrs, parent) {
    var e = document.createElementNS(svgNs, name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(e); }
    return e;
  }

  function finite(values) { return values.filter(function (v) { return v !== null && isFinite(v); }); }

  function draw(chart, host) {
    var xs = [], ys = [];
    chart.series.forEach(function (s) {
      xs = xs.concat(s.band.hours);
      ys = ys.concat(finite(s.band.high), finite(s.band.low));
    });
    var xMax = Math.max.apply(null, xs.concat([1e-9]));
    var yMax = Math.max.apply(null, ys.concat([1])) * 1.05;
    var x = function (v) { return L + (W - L - R) * v / xMax; };
    var y = function (v) { return T + (H - T - B) * (1 - v / yMax); };
    var box = document.createElement('div');
    box.className = 'chart';
    host.appendChild(box);
    var svg = el('svg', {width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img'}, box);
    el('text', {x: L, y: 16, 'font-weight': 'bold'}, svg).textContent = chart.title;
    el('line', {x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#444'}, svg);
    el('line', {x1: L, y1: T, x2: L, y2: H - B, stroke: '#444'}, svg);
    for (var i = 0; i <= 4; i++) {
      var v = yMax * i / 4, hv = xMax * i / 4;
      el('text', {x: L - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11}, svg).textContent = v.toPrecision(3);
      el('text', {x: x(hv), y: H - B + 16, 'text-anchor': 'middle', 'font-size': 11}, svg).textContent =
          hv >= 48 ? (hv / 24).toFixed(1) + ' d' : hv.toFixed(1) + ' h';
    }
    el('text', {x: 12, y: T + 10, 'font-size': 11}, svg).textContent = chart.unit;
    chart.series.forEach(function (s, n) {
      var colour = colours[s.policy] || '#000';
      var upper = [], lower = [], mid = [];
      s.band.hours.forEach(function (h, j) {
        if (s.band.median[j] === null || !isFinite(s.band.median[j])) { return; }
        upper.push(x(h) + ',' + y(s.band.high[j]));
        lower.unshift(x(h) + ',' + y(s.band.low[j]));
        mid.push(x(h) + ',' + y(s.band.median[j]));
      });
      if (mid.length === 0) { return; }
      el('polygon', {points: upper.concat(lower).join(' '), fill: colour, 'fill-opacity': 0.15, stroke: 'none'}, svg);
      el('polyline', {points: mid.join(' '), fill: 'none', stroke: colour, 'stroke-width': 1.5,
        'stroke-dasharray': s.dashed ? '5,3' : 'none', 'class': 'series'}, svg);
      el('text', {x: W - R + 8, y: T + 14 * (n + 1), fill: colour, 'font-size': 12}, svg).textContent = s.label;
    });
  }

  var data = JSON.parse(document.getElementById('data').textContent);
  var host = document.getElementById('charts');
  data.charts.forEach(function (c) { draw(c, host); });
  document.body.setAttribute('data-charts', String(host.querySelectorAll('svg').length));
})();
