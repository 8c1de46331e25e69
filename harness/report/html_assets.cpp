#include "report/html_assets.h"

namespace oi::report {

std::string_view report_stylesheet() {
  return R"CSS(
:root{--ok:#7ee07e;--bad:#ff6b6b;--known:#fff3a0;--err:#ffa07a;--line:#ccc}
body{font:14px/1.45 system-ui,sans-serif;margin:0 2em 4em;color:#111}
h1{margin:.6em 0 .2em} h2{border-bottom:2px solid #333;margin-top:2em} h3{margin:1.2em 0 .4em}
code,pre{font:12px/1.35 ui-monospace,monospace} pre{white-space:pre-wrap;word-break:break-all;margin:.2em 0}
nav a{margin-right:1em} table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid var(--line);padding:.25em .5em;vertical-align:top}
table.meta th{text-align:left;background:#f4f4f4}
.matrix td.cell{position:relative;text-align:center;min-width:5.5em;cursor:pointer;font-weight:bold}
.matrix th.consumer{height:7em;white-space:nowrap;vertical-align:bottom}
.matrix th.consumer>div{transform:rotate(315deg);transform-origin:bottom left;width:2em;translate:1.2em 0}
.matrix td.cell:focus{outline:3px solid #00f}
.st-success{background:var(--ok)} .st-failure{background:var(--bad)}
.st-known{background:var(--known)} .st-error{background:var(--err)} .st-none{background:#fff;color:#999}
.st-success::before,.st-failure::before,.st-known::before,.st-error::before{content:"";position:absolute;width:0;height:0;border:7px solid transparent}
.st-success::before{top:0;left:0;border-top-color:#060;border-left-color:#060}
.st-failure::before{top:0;right:0;border-top-color:#800;border-right-color:#800}
.st-known::before{bottom:0;left:0;border-bottom-color:#760;border-left-color:#760}
.st-error::before{bottom:0;right:0;border-bottom-color:#833;border-right-color:#833}
.legend span.swatch{display:inline-block;position:relative;width:2.2em;height:1.4em;text-align:center;border:1px solid var(--line);margin-right:.4em}
.badge{display:inline-block;padding:0 .4em;border-radius:3px;font-size:12px;border:1px solid #999}
.nocheck{background:#eee;color:#555}
#filters{position:sticky;top:0;background:#fff;padding:.5em 0;border-bottom:1px solid var(--line);z-index:2}
#filters label{margin-right:.8em} .chip{margin:.1em;border:1px solid #888;background:#f7f7f7;border-radius:1em;padding:.1em .7em;cursor:pointer}
.chip.active{background:#333;color:#fff}
details.case{border:1px solid var(--line);border-left-width:6px;margin:.25em 0;padding:.2em .5em}
details.case.unexpected{border-left-color:#c00} details.case.known{border-left-color:#b90}
details.case>summary{cursor:pointer} details.case .msg{color:#444}
.case .body{margin:.5em 0 .5em 1em} .case h4{margin:.6em 0 .2em}
blockquote{margin:.2em 0 .2em 1em;padding-left:.6em;border-left:3px solid #999;color:#333}
.held{color:#060} .failed{color:#b00;font-weight:bold}
.repro{background:#f4f4f4;padding:.3em;display:block}
.impl-group{margin-left:1em} .hidden{display:none}
)CSS";
}

std::string_view report_script() {
  return R"JS(
(function () {
  'use strict';
  var state = { verdict: '', unexpected: false, profile: '', impl: '', area: '', req: '', pair: '', search: '' };
  var cases = Array.prototype.slice.call(document.querySelectorAll('details.case'));
  var shown = document.getElementById('shown-count');
  var pairChip = document.getElementById('pair-filter');
  function has(list, word) { return (' ' + list + ' ').indexOf(' ' + word + ' ') >= 0; }
  function matches(el) {
    var d = el.dataset;
    if (state.unexpected && d.unexpected !== '1') return false;
    if (state.verdict && d.verdict !== state.verdict) return false;
    if (state.profile && d.profile !== state.profile) return false;
    if (state.impl && !has(d.impls, state.impl)) return false;
    if (state.area && d.area !== state.area) return false;
    if (state.req && !has(d.reqs, state.req)) return false;
    if (state.pair) {
      var impls = d.impls.split(' ');
      if (d.profile + '|' + impls[0] + '|' + (impls[1] || impls[0]) !== state.pair) return false;
    }
    if (state.search) {
      var text = (el.querySelector('summary').textContent + ' ' + d.reqs).toLowerCase();
      if (text.indexOf(state.search) < 0) return false;
    }
    return true;
  }
  function apply() {
    var count = 0;
    cases.forEach(function (el) {
      var visible = matches(el);
      el.hidden = !visible;
      if (visible) count++;
    });
    shown.textContent = String(count);
    pairChip.hidden = !state.pair;
    pairChip.textContent = state.pair ? 'pair ' + state.pair.split('|').join(' \u00b7 ') + ' \u2715' : '';
    document.querySelectorAll('.chip[data-verdict]').forEach(function (chip) {
      var active = chip.dataset.verdict === '*unexpected' ? state.unexpected
                 : (!state.unexpected && chip.dataset.verdict === state.verdict);
      chip.classList.toggle('active', active);
    });
  }
  document.querySelectorAll('.chip[data-verdict]').forEach(function (chip) {
    chip.addEventListener('click', function () {
      if (chip.dataset.verdict === '*unexpected') {
        state.unexpected = !state.unexpected; state.verdict = '';
      } else {
        state.unexpected = false;
        state.verdict = state.verdict === chip.dataset.verdict ? '' : chip.dataset.verdict;
      }
      apply();
    });
  });
  [['filter-profile', 'profile'], ['filter-impl', 'impl'], ['filter-area', 'area'], ['filter-req', 'req']]
    .forEach(function (pair) {
      var select = document.getElementById(pair[0]);
      select.addEventListener('change', function () { state[pair[1]] = select.value; apply(); });
    });
  var search = document.getElementById('filter-search');
  search.addEventListener('input', function () { state.search = search.value.trim().toLowerCase(); apply(); });
  pairChip.addEventListener('click', function () { state.pair = ''; apply(); });
  function showPair(cell) {
    state.pair = cell.dataset.pair;
    document.getElementById('cases').scrollIntoView();
    apply();
  }
  document.querySelectorAll('td.cell[data-pair]').forEach(function (cell) {
    cell.addEventListener('click', function () { showPair(cell); });
    cell.addEventListener('keydown', function (e) { if (e.key === 'Enter') showPair(cell); });
  });
  document.querySelectorAll('a[data-search]').forEach(function (link) {
    link.addEventListener('click', function () {
      search.value = link.dataset.search; state.search = search.value.toLowerCase(); apply();
    });
  });
  // Quotes and the description live once in the requirement and scenario tables; a case copies
  // them (as text) the first time it is opened.
  function fill(el) {
    if (el.dataset.filled) return;
    el.dataset.filled = '1';
    var description = el.querySelector('p.description');
    var row = description ? document.getElementById(description.dataset.scn) : null;
    var text = row ? row.querySelector('.scn-description') : null;
    if (text) description.textContent = text.textContent;
    var quotes = el.querySelector('div.quotes');
    if (!quotes) return;
    el.dataset.reqs.split(' ').forEach(function (id) {
      if (!id) return;
      var req = document.getElementById('req-' + id);
      var quote = document.createElement('blockquote');
      var name = document.createElement('b');
      name.textContent = id;
      quote.appendChild(name);
      if (req) {
        quote.appendChild(document.createTextNode(' ' + req.querySelector('.req-level').textContent +
                                                  ': ' + req.querySelector('.req-text').textContent));
      }
      quotes.appendChild(quote);
    });
  }
  cases.forEach(function (el) {
    el.addEventListener('toggle', function () { if (el.open) fill(el); });
  });
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (el && el.tagName === 'DETAILS') { el.hidden = false; el.open = true; fill(el); el.scrollIntoView(); }
  }
  window.addEventListener('hashchange', openTarget);
  apply();
  openTarget();
})();
)JS";
}

}  // namespace oi::report
