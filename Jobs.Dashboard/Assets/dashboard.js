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
    var slots = parseInt(canvas.getAttribute('data-points'), 10) || 60;
    var caption = document.querySelector('[data-live-caption]');
    var points = [];
    // The page carries the counters it was drawn with, so the first fetch (right away) already gives a point.
    var last = {
      succeeded: Number(canvas.getAttribute('data-succeeded')),
      failed: Number(canvas.getAttribute('data-failed')),
      at: Date.now()
    };
    if (isNaN(last.succeeded) || isNaN(last.failed)) { last = null; }

    function seconds(ms) { return Math.max(1, Math.round(ms / 1000)); }

    function describe() {
      if (!caption || points.length === 0) { return; }
      var s = 0, f = 0;
      points.forEach(function (p) { s += p.s; f += p.f; });
      var span = seconds(points[points.length - 1].end - points[0].start);
      caption.textContent = s + f === 0
        ? 'No jobs finished in the last ' + span + ' s.'
        : s.toLocaleString() + ' succeeded, ' + f.toLocaleString() + ' failed in the last ' + span + ' s.';
    }

    function draw() {
      var ctx = canvas.getContext('2d');
      var ratio = window.devicePixelRatio || 1;
      var w = canvas.width = canvas.clientWidth * ratio;
      var h = canvas.height = canvas.clientHeight * ratio;
      ctx.clearRect(0, 0, w, h);
      var style = getComputedStyle(root);
      var muted = style.getPropertyValue('--muted').trim() || 'gray';
      var grid = style.getPropertyValue('--line').trim() || 'silver';
      var max = 1;
      points.forEach(function (p) { max = Math.max(max, p.s, p.f); });
      var top = 16 * ratio, bottom = h - 18 * ratio, left = 4 * ratio, right = w - 4 * ratio;
      var step = (right - left) / Math.max(1, slots - 1);

      // Scale: the top line is the highest count shown, the bottom one zero; the time runs to "now" on the right.
      ctx.strokeStyle = grid; ctx.lineWidth = ratio; ctx.beginPath();
      ctx.moveTo(left, top); ctx.lineTo(right, top); ctx.moveTo(left, bottom); ctx.lineTo(right, bottom); ctx.stroke();
      ctx.fillStyle = muted; ctx.font = (11 * ratio) + 'px system-ui, sans-serif';
      ctx.textBaseline = 'bottom'; ctx.textAlign = 'left';
      ctx.fillText(max.toLocaleString() + ' per ' + seconds(every) + ' s', left, top - 2 * ratio);
      ctx.textBaseline = 'top';
      ctx.fillText('-' + seconds(every * (slots - 1)) + ' s', left, bottom + 3 * ratio);
      ctx.textAlign = 'right';
      ctx.fillText('now', right, bottom + 3 * ratio);

      function line(key, color) {
        ctx.strokeStyle = color; ctx.fillStyle = color; ctx.lineWidth = 2 * ratio; ctx.beginPath();
        points.forEach(function (p, i) {
          var x = right - (points.length - 1 - i) * step;
          var y = bottom - (p[key] / max) * (bottom - top);
          if (i === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
        });
        ctx.stroke();
        if (points.length === 1) { ctx.fillRect(right - 3 * ratio, bottom - (points[0][key] / max) * (bottom - top) - ratio, 3 * ratio, 2 * ratio); }
      }
      line('s', style.getPropertyValue('--ok').trim() || 'green');
      line('f', style.getPropertyValue('--bad').trim() || 'red');
    }

    function poll() {
      fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (s) {
          if (!s) { return; }
          var now = Date.now();
          if (last) {
            points.push({ s: Math.max(0, s.succeeded - last.succeeded), f: Math.max(0, s.failed - last.failed), start: last.at, end: now });
            if (points.length > slots) { points.shift(); }
          }
          last = { succeeded: s.succeeded, failed: s.failed, at: now };
          Object.keys(s).forEach(function (k) {
            var el = document.querySelector('[data-stat="' + k + '"]');
            if (el) { el.textContent = Number(s[k]).toLocaleString(); }
          });
          draw();
          describe();
        })
        .catch(function () { /* next poll retries */ });
    }

    draw();
    poll();
    setInterval(poll, every);
    window.addEventListener('resize', draw);
  });
})();
