(function () {
  'use strict';
  var root = document.documentElement;
  var saved = null;
  try { saved = localStorage.getItem('jobs-theme'); } catch (e) { /* storage off */ }
  if (saved) { root.setAttribute('data-theme', saved); }

  // A running job's log: ask for the lines after the last one shown, append them, and reload the page once the
  // job has left Processing (its final state and every line are stored by then).
  document.addEventListener('DOMContentLoaded', function () {
    var log = document.querySelector('[data-job-log]');
    if (!log || log.getAttribute('data-state') !== 'Processing') { return; }
    var url = log.getAttribute('data-log-url');
    var after = log.getAttribute('data-after') || '0';
    var every = parseInt(log.getAttribute('data-poll-ms'), 10) || 1500;
    var body = log.querySelector('tbody');
    var scroller = log.querySelector('.log-scroll');
    var status = log.querySelector('[data-log-status]');

    function cell(row, css, text) {
      var td = document.createElement('td');
      td.className = css;
      td.textContent = text;
      row.appendChild(td);
    }

    function append(line) {
      var row = document.createElement('tr');
      row.className = 'log-' + line.level;
      cell(row, 'log-time', line.time.substring(0, 10) + ' ' + line.time.substring(11, 23));
      cell(row, 'log-level', line.level);
      cell(row, 'log-message', line.message);
      body.appendChild(row);
    }

    function finish(text) {
      if (status) { status.textContent = text; }
      window.location.reload();
    }

    function tail() {
      fetch(url + '?after=' + encodeURIComponent(after), { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (r) {
          if (r.status === 404) { finish('The job is gone; reloading…'); return null; }
          return r.ok ? r.json() : undefined;
        })
        .then(function (data) {
          if (data === null) { return; }
          if (data) {
            var atBottom = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 4;
            data.lines.forEach(append);
            after = String(data.last);
            if (atBottom) { scroller.scrollTop = scroller.scrollHeight; }
            if (data.state !== 'Processing') { finish('The job is ' + data.state + '; reloading…'); return; }
          }
          setTimeout(tail, data && data.more ? 0 : every);
        })
        .catch(function () { setTimeout(tail, every); });
    }

    setTimeout(tail, every);
  });

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
