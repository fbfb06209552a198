(function () {
  'use strict';
  var root = document.documentElement;
  var saved = null;
  try { saved = localStorage.getItem('jobs-theme'); } catch (e) { /* storage off */ }
  if (saved) { root.setAttribute('data-theme', saved); }

  document.addEventListener('DOMContentLoaded', function () {
    var toggle = document.querySelector('[data-theme-toggle]');
    if (toggle) {
      toggle.addEventListener('click', function () {
        var dark = root.getAttribute('data-theme') === 'dark' ||
          (!root.getAttribute('data-theme') && window.matchMedia('(prefers-color-scheme: dark)').matches);
        var next = dark ? 'light' : 'dark';
        root.setAttribute('data-theme', next);
        try { localStorage.setItem('jobs-theme', next); } catch (e) { /* storage off */ }
      });
    }

    document.querySelectorAll('input[data-select-all]').forEach(function (all) {
      all.addEventListener('change', function () {
        var form = all.form;
        form.querySelectorAll('input[name="ids"]').forEach(function (box) { box.checked = all.checked; });
      });
    });

    document.querySelectorAll('form[data-confirm]').forEach(function (form) {
      form.addEventListener('submit', function (e) {
        if (!window.confirm(form.getAttribute('data-confirm'))) { e.preventDefault(); }
      });
    });

    document.querySelectorAll('[data-h]').forEach(function (bar) {
      bar.style.height = bar.getAttribute('data-h') + '%';
    });

    var canvas = document.querySelector('canvas[data-live-graph]');
    if (!canvas) { return; }
    var url = document.body.getAttribute('data-stats-url');
    var every = parseInt(document.body.getAttribute('data-poll-ms'), 10) || 2000;
    var points = [];
    var last = null;

    function draw() {
      var ctx = canvas.getContext('2d');
      var w = canvas.width = canvas.clientWidth * (window.devicePixelRatio || 1);
      var h = canvas.height = canvas.clientHeight * (window.devicePixelRatio || 1);
      ctx.clearRect(0, 0, w, h);
      var style = getComputedStyle(root);
      var max = 1;
      points.forEach(function (p) { max = Math.max(max, p.s, p.f); });
      function line(key, color) {
        ctx.strokeStyle = color; ctx.lineWidth = 2 * (window.devicePixelRatio || 1); ctx.beginPath();
        points.forEach(function (p, i) {
          var x = points.length < 2 ? 0 : i * w / (points.length - 1);
          var y = h - 4 - (p[key] / max) * (h - 12);
          if (i === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
        });
        ctx.stroke();
      }
      line('s', style.getPropertyValue('--ok').trim() || 'green');
      line('f', style.getPropertyValue('--bad').trim() || 'red');
    }

    function poll() {
      fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (!s) { return; }
          if (last) {
            points.push({ s: Math.max(0, s.succeeded - last.succeeded), f: Math.max(0, s.failed - last.failed) });
            if (points.length > 60) { points.shift(); }
          }
          last = s;
          Object.keys(s).forEach(function (k) {
            var el = document.querySelector('[data-stat="' + k + '"]');
            if (el) { el.textContent = Number(s[k]).toLocaleString(); }
          });
          draw();
        })
        .catch(function () { /* next poll retries */ });
    }

    poll();
    setInterval(poll, every);
  });
})();
