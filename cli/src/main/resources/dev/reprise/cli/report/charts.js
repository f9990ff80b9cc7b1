// Draws the report's charts with uPlot from the JSON block #report-data. Every chart's data is
// {x: [...], xLabel, yLabel, logX, logY, xTicks ("percentile" or absent), yMin, yMaxAtLeast,
//  series: [{label, values}], bands: [{from, to, label}]} or {unavailable: "why"}. Text from the data only ever goes through
// textContent (here and in uPlot's legend), never innerHTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf',
    '#7f7f7f', '#bcbd22'];

  function percentileTick(u, values) {
    return values.map(function (v) {
      if (v == null) return '';
      var p = 100 * (1 - 1 / v);
      return (Math.round(p * 1000) / 1000) + '%';
    });
  }

  function positiveOrNull(values) {
    return values.map(function (v) { return v != null && v > 0 ? v : null; });
  }

  function drawBands(bands) {
    return function (u) {
      if (!bands || bands.length === 0) return;
      var ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = 'rgba(255, 165, 0, 0.18)';
      bands.forEach(function (b) {
        var x0 = u.valToPos(b.from, 'x', true);
        var x1 = u.valToPos(b.to, 'x', true);
        var left = Math.max(u.bbox.left, Math.min(x0, x1));
        var right = Math.min(u.bbox.left + u.bbox.width, Math.max(x0, x1));
        if (right > left) ctx.fillRect(left, u.bbox.top, Math.max(1, right - left), u.bbox.height);
      });
      ctx.restore();
    };
  }

  // Counts the pixels the chart painted and records it on the element, so readers (and the test that
  // opens the report in a headless browser) can tell a drawn chart from an empty canvas.
  function recordPainted(el) {
    return function (u) {
      var canvas = u.ctx.canvas;
      var pixels = u.ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      var painted = 0;
      for (var i = 3; i < pixels.length; i += 4) {
        if (pixels[i] !== 0) painted++;
      }
      el.setAttribute('data-painted-pixels', String(painted));
    };
  }

  // a y range from yMin (when given) to at least yMaxAtLeast, so an all-zero series sits at the bottom
  function yScale(spec) {
    var scale = {distr: spec.logY ? 3 : 1};
    if (spec.yMin != null) {
      scale.range = function (u, min, max) {
        return [spec.yMin, Math.max(max == null ? 0 : max * 1.1, spec.yMaxAtLeast || 0)];
      };
    }
    return scale;
  }

  document.querySelectorAll('[data-chart]').forEach(function (el) {
    var spec = data[el.getAttribute('data-chart')];
    if (!spec || spec.unavailable) {
      el.classList.add('unavailable');
      el.textContent = spec ? spec.unavailable : 'no data';
      return;
    }
    var series = [{label: spec.xLabel}];
    var columns = [spec.x];
    spec.series.forEach(function (s, i) {
      series.push({label: s.label, stroke: palette[i % palette.length], width: 1.5,
        points: {show: spec.x.length < 60}});
      columns.push(spec.logY ? positiveOrNull(s.values) : s.values);
    });
    var xAxis = {label: spec.xLabel};
    if (spec.xTicks === 'percentile') xAxis.values = percentileTick;
    var opts = {
      width: Math.max(400, el.clientWidth || 900),
      height: 280,
      scales: {x: {time: false, distr: spec.logX ? 3 : 1}, y: yScale(spec)},
      axes: [xAxis, {label: spec.yLabel, size: 60}],
      series: series,
      hooks: {drawClear: [drawBands(spec.bands)], draw: [recordPainted(el)]}
    };
    new uPlot(opts, columns, el);
    if (spec.bands && spec.bands.length > 0) {
      var legend = document.createElement('p');
      legend.className = 'bands';
      legend.textContent = 'Shaded: ' + spec.bands.map(function (b) { return b.label; }).join(', ');
      el.appendChild(legend);
    }
  });
})();
