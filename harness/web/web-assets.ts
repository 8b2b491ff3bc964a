/**
 * The workspace's two static assets, served from this service only (the CSP
 * allows nothing else): the report's stylesheet plus the workspace's forms
 * and navigation, and a small script that is a progressive enhancement. Every
 * page works without it; with it, a run page shows progress live and a file
 * picker fills the claims text area.
 */
import { REPORT_CSS } from '../report/html-styles.js';

export const WORKSPACE_CSS = `${REPORT_CSS}
.skip-link { position: absolute; left: 0.5rem; top: -3rem; padding: 0.5rem 0.75rem; background: var(--paper); color: var(--link); border: 2px solid var(--link); z-index: 10; }
.skip-link:focus { top: 0.5rem; }
header.site { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem; border-bottom: 1px solid var(--rule); padding-bottom: 0.5rem; margin-bottom: 1rem; }
header.site nav { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; flex: 1; }
ul.nav { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
.who { margin: 0 0 0 auto; color: var(--muted); }
form { margin: 0.75rem 0 1.25rem; }
form.inline { display: inline; margin: 0; }
fieldset { border: 1px solid var(--rule); border-radius: 4px; padding: 0.75rem 1rem; margin: 0 0 1rem; }
legend { font-weight: 600; padding: 0 0.25rem; }
.field { margin: 0 0 0.75rem; }
.field label { display: block; font-weight: 600; margin-bottom: 0.2rem; }
.field .hint { display: block; color: var(--muted); font-size: 0.9rem; margin-bottom: 0.2rem; }
input[type="text"], input[type="email"], input[type="password"], input[type="url"], input[type="date"], select, textarea { font: inherit; padding: 0.35rem 0.5rem; border: 1px solid #5f6b76; border-radius: 3px; width: 100%; max-width: 36rem; color: var(--ink); background: var(--paper); }
textarea { min-height: 10rem; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.85rem; }
button { font: inherit; font-weight: 600; padding: 0.4rem 0.9rem; border: 2px solid var(--link); border-radius: 4px; background: var(--link); color: #ffffff; cursor: pointer; }
form.inline button { background: var(--paper); color: var(--link); padding: 0.15rem 0.6rem; }
input:focus-visible, select:focus-visible, textarea:focus-visible, button:focus-visible, main:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
.choices { list-style: none; margin: 0; padding: 0; }
.choices li { margin: 0.2rem 0; }
.notice { padding: 0.6rem 0.9rem; border-left: 0.35rem solid var(--link); background: var(--panel); }
.error-summary { padding: 0.6rem 0.9rem; border: 2px solid #9b1c1c; color: #9b1c1c; background: #fdecec; }
ol.progress-log { max-height: 20rem; overflow: auto; background: var(--panel); border: 1px solid var(--rule); padding: 0.5rem 0.5rem 0.5rem 2.5rem; font-size: 0.9rem; }
.status-word { font-weight: 600; }
[hidden] { display: none !important; }
`;

/**
 * Live progress: a run page's \`[data-progress-url]\` section opens an
 * EventSource; each \`progress\` event adds a line (the list is an aria-live
 * log, the status line a polite live region), and \`end\` replaces the
 * outcome part of the page with the server's finished rendering.
 */
export const WORKSPACE_JS = `'use strict';
(function () {
  var section = document.querySelector('[data-progress-url]');
  if (section && 'EventSource' in window) {
    var log = section.querySelector('ol.progress-log');
    var status = document.getElementById('run-status');
    var received = 0;
    var source = new EventSource(section.getAttribute('data-progress-url'));
    source.addEventListener('progress', function (event) {
      var data = JSON.parse(event.data);
      received += 1;
      section.setAttribute('data-events-received', String(received));
      var item = document.createElement('li');
      item.textContent = data.text;
      log.appendChild(item);
      while (log.children.length > 200) log.removeChild(log.firstElementChild);
      if (status && data.total) status.textContent = 'Running: ' + data.done + ' of ' + data.total + ' operations probed.';
      else if (status && data.type === 'run-started') status.textContent = 'Running.';
    });
    source.addEventListener('end', function (event) {
      source.close();
      var data = JSON.parse(event.data);
      if (status) status.textContent = 'Run ' + data.status + '.';
      fetch(window.location.href, { credentials: 'same-origin' }).then(function (response) { return response.text(); }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('run-outcome');
        var current = document.getElementById('run-outcome');
        if (fresh && current) current.replaceWith(document.importNode(fresh, true));
        section.setAttribute('data-state', 'ended');
      });
    });
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED && status) status.textContent = 'Live progress stopped; reload the page to see the run.';
    };
  }
  var picker = document.querySelector('input[data-fills]');
  if (picker) {
    picker.hidden = false;
    var label = document.querySelector('label[for="' + picker.id + '"]');
    if (label) label.hidden = false;
    picker.addEventListener('change', function () {
      var file = picker.files && picker.files[0];
      if (!file) return;
      file.text().then(function (text) { document.getElementById(picker.getAttribute('data-fills')).value = text; });
    });
  }
})();
`;
