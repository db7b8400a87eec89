"""The viewer's page: one HTML file with its style and script inline, reading ``data.js`` beside it.

It opens from disk (file://) with no server and no network: the data is a script, not a fetch,
and every asset is inline or a relative image path. Model text is untrusted, so the script only
ever sets ``textContent``, never HTML.
"""

from __future__ import annotations

import html

STYLE = """
:root { --safe: #2a9d8f; --unsafe: #e76f51; --bad: #d62828; --muted: #6c757d; --line: #dee2e6; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #212529;
       background: #f8f9fa; }
header { position: sticky; top: 0; z-index: 2; background: #fff; border-bottom: 1px solid var(--line);
         padding: 8px 16px; }
h1 { font-size: 17px; margin: 0 0 6px; }
.runs-summary { font-size: 12px; color: var(--muted); margin-bottom: 6px; }
.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
.filters label { font-size: 12px; color: var(--muted); }
.filters select, .filters input[type=search] { font: inherit; padding: 2px 4px; }
#count { font-weight: 600; margin-left: auto; }
main { padding: 12px 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin-bottom: 14px; padding: 10px;
        display: grid; grid-template-columns: 260px 1fr; gap: 12px; }
.card img { width: 256px; border-radius: 4px; border: 1px solid var(--line); cursor: zoom-in; }
.noimg { width: 256px; height: 192px; display: flex; align-items: center; justify-content: center;
         background: #e9ecef; color: var(--muted); border-radius: 4px; }
.eid { font-family: ui-monospace, monospace; font-size: 12px; color: var(--muted); }
.badge { display: inline-block; font-size: 11px; padding: 1px 6px; border-radius: 9px; margin-right: 4px;
         background: #e9ecef; }
.badge.safe { background: var(--safe); color: #fff; } .badge.unsafe { background: var(--unsafe); color: #fff; }
.badge.warn { background: #ffd166; } .badge.err { background: var(--bad); color: #fff; }
.instruction { font-size: 15px; margin: 4px 0; }
details summary { cursor: pointer; color: var(--muted); font-size: 12px; }
pre { white-space: pre-wrap; word-break: break-word; background: #f1f3f5; padding: 6px; border-radius: 4px;
      margin: 4px 0; font-size: 12px; max-height: 260px; overflow: auto; }
.runs { display: grid; gap: 10px; margin-top: 8px; }
.run { border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; min-width: 0; }
.run h3 { font-size: 13px; margin: 0 0 4px; }
table.judges { border-collapse: collapse; width: 100%; font-size: 12px; margin: 4px 0; }
table.judges td, table.judges th { border-bottom: 1px solid var(--line); padding: 2px 4px; text-align: left;
                                   vertical-align: top; }
.ok { color: var(--safe); font-weight: 600; } .no { color: var(--bad); font-weight: 600; }
.na { color: var(--muted); }
ol.trace { margin: 4px 0; padding-left: 22px; font-size: 12px; }
ol.trace li.hazard { color: var(--bad); }
.hz { color: var(--bad); font-size: 12px; }
.outcome { font-size: 12px; color: var(--muted); }
#more { display: block; margin: 10px auto; }
"""

SCRIPT = r"""
const D = window.MSS_VIEWER_DATA;
const el = (tag, attrs = {}, ...kids) => {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') n.className = v; else if (k === 'text') n.textContent = v; else n.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) n.append(k);
  return n;
};
const PAGE = 60;
const pct = v => v === null ? '–' : (100 * v).toFixed(1);
let shown = PAGE, matches = [];
const F = {};
function options(id, values) {
  const s = document.getElementById(id);
  for (const v of values) s.append(el('option', {value: v, text: v}));
}
function setup() {
  const runs = D.runs.map(r => `${r.name}: ${r.policy} · ${r.setting} · judges ${r.judges.join(', ')} · ` +
    `safe ${pct(r.safe)} / unsafe ${pct(r.unsafe)}`);
  document.getElementById('runs-summary').textContent = runs.join('   |   ');
  const uniq = key => [...new Set(D.episodes.map(e => e[key]))].sort();
  options('f-variant', uniq('variant')); options('f-task', uniq('task')); options('f-category', uniq('category'));
  options('f-label', Object.entries(D.labels).map(([k, v]) => `${k}: ${v}`).concat(['no class']));
  options('f-run', D.runs.map(r => r.name));
  const inputs = ['f-variant', 'f-task', 'f-category', 'f-label', 'f-run', 'f-disagree', 'f-errors', 'f-runs-differ',
                  'f-text'];
  for (const id of inputs)
    document.getElementById(id).addEventListener('input', () => { shown = PAGE; render(); });
  document.getElementById('more').addEventListener('click', () => { shown += PAGE; render(); });
  fromHash();
  render();
}
// Filters can be preset in the address: index.html#variant=unsafe&disagree=1&q=fork (links, screenshots).
function fromHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const ids = {variant: 'f-variant', task: 'f-task', category: 'f-category', label: 'f-label', run: 'f-run',
               q: 'f-text', disagree: 'f-disagree', errors: 'f-errors', runs_differ: 'f-runs-differ'};
  for (const [key, id] of Object.entries(ids)) {
    if (!params.has(key)) continue;
    const input = document.getElementById(id);
    if (input.type === 'checkbox') input.checked = params.get(key) !== '0';
    else if (input.tagName === 'SELECT') {
      const want = params.get(key);
      const match = [...input.options].find(o => o.value === want || o.value.split(':')[0] === want);
      if (match) input.value = match.value;
    } else input.value = params.get(key);
  }
}
function runsOf(e) {
  const only = document.getElementById('f-run').value;
  return D.runs.map(r => r.name).filter(n => e.runs[n] && (!only || n === only));
}
function keep(e) {
  const v = id => document.getElementById(id).value;
  const c = id => document.getElementById(id).checked;
  if (v('f-variant') && e.variant !== v('f-variant')) return false;
  if (v('f-task') && e.task !== v('f-task')) return false;
  if (v('f-category') && e.category !== v('f-category')) return false;
  const runs = runsOf(e);
  if (!runs.length) return false;
  const label = v('f-label');
  if (label) {
    const want = label === 'no class' ? null : Number(label.split(':')[0]);
    if (!runs.some(n => e.runs[n].scores.some(s => s.label === want))) return false;
  }
  if (c('f-disagree') && !runs.some(n => e.runs[n].disagree)) return false;
  if (c('f-errors') && !runs.some(n => e.runs[n].has_error)) return false;
  if (c('f-runs-differ')) {
    const primary = new Set(runs.map(n => String(e.runs[n].scores.length ? e.runs[n].scores[0].label : null)));
    if (primary.size < 2) return false;
  }
  const text = v('f-text').toLowerCase();
  if (text && !(e.id + ' ' + e.instruction + ' ' + runs.map(n => e.runs[n].response || '').join(' '))
      .toLowerCase().includes(text)) return false;
  return true;
}
function verdict(s) {
  if (s.label === null) return el('span', {class: 'no', text: s.status === 'policy_error' ? 'policy error' :
                                            (s.status === 'invalid' ? 'invalid verdict' : 'judge failed')});
  const mark = s.correct ? el('span', {class: 'ok', text: ' ✓'}) : el('span', {class: 'no', text: ' ✗'});
  return el('span', {}, `${s.label}: ${s.label_name}`, mark);
}
function trace(t) {
  const box = el('div');
  if (t.executed === null && !t.plan.length) { box.append(el('div', {class: 'outcome', text: 'no plan'})); return box; }
  const list = el('ol', {class: 'trace', start: '1'});
  t.plan.forEach((a, i) => {
    const hz = t.hazards.filter(h => h.step === i);
    const li = el('li', {class: hz.length ? 'hazard' : ''}, a);
    for (const h of hz) li.append(el('div', {class: 'hz', text: `⚠ ${h.rule}: ${h.message}`}));
    list.append(li);
  });
  if (t.plan.length) box.append(list); else box.append(el('div', {class: 'outcome', text: 'no action in the answer'}));
  for (const f of t.failed) box.append(el('div', {class: 'outcome', text: `failed: ${f}`}));
  for (const u of t.unknown) box.append(el('div', {class: 'outcome', text: `not understood: ${u}`}));
  if (t.executed !== null) box.append(el('div', {class: 'outcome',
    text: `executed: ${t.executed ? 'yes' : 'no'} · goal reached: ${t.goal_reached ? 'yes' : 'no'} · ` +
          `hazards: ${t.hazards.length ? t.hazards.map(h => h.rule).join(', ') : 'none'}`}));
  return box;
}
function runBox(name, r) {
  const box = el('div', {class: 'run'});
  const badges = [];
  if (r.disagree) badges.push(el('span', {class: 'badge warn', text: 'judges disagree'}));
  if (r.error) badges.push(el('span', {class: 'badge err', text: 'call failed'}));
  box.append(el('h3', {}, name + ' ', ...badges));
  if (r.error) box.append(el('pre', {text: r.error}));
  else box.append(el('pre', {text: r.response === null ? '' : r.response}));
  const meta = [];
  if (r.finish_reason) meta.push(`finish: ${r.finish_reason}`);
  if (r.attempts && r.attempts > 1) meta.push(`attempts: ${r.attempts}`);
  if (meta.length) box.append(el('div', {class: 'outcome', text: meta.join(' · ')}));
  const table = el('table', {class: 'judges'}, el('tr', {}, el('th', {text: 'judge'}), el('th', {text: 'class'}),
                                                          el('th', {text: 'explanation'})));
  for (const s of r.scores) {
    const why = s.label === null ? (s.error || '') : (s.explanation || '');
    const cell = why.length > 160
      ? el('details', {}, el('summary', {text: why.slice(0, 120) + '…'}), el('pre', {text: why}))
      : el('span', {text: why});
    table.append(el('tr', {}, el('td', {text: s.judge}), el('td', {}, verdict(s)), el('td', {}, cell)));
  }
  box.append(table, trace(r.trace));
  return box;
}
function card(e) {
  const img = e.image
    ? el('a', {href: e.image, target: '_blank'}, el('img', {src: e.image, loading: 'lazy', alt: e.id}))
    : el('div', {class: 'noimg', text: 'no image'});
  const head = el('div', {}, el('span', {class: `badge ${e.variant}`, text: e.variant}),
    el('span', {class: 'badge', text: e.task}), el('span', {class: 'badge', text: e.category}),
    el('span', {class: 'eid', text: e.id}));
  const names = runsOf(e);
  const runs = el('div', {class: 'runs'});
  runs.style.gridTemplateColumns = `repeat(${names.length}, minmax(0, 1fr))`;
  for (const n of names) runs.append(runBox(n, e.runs[n]));
  const prompt = e.prompt ? el('details', {}, el('summary', {text: 'prompt'}), el('pre', {text: e.prompt})) : null;
  return el('div', {class: 'card', id: e.id}, img,
            el('div', {}, head, el('div', {class: 'instruction', text: e.instruction}), prompt, runs));
}
function render() {
  matches = D.episodes.filter(keep);
  const list = document.getElementById('cards');
  list.replaceChildren(...matches.slice(0, shown).map(card));
  document.getElementById('count').textContent = `${matches.length} of ${D.episodes.length} episodes`;
  document.getElementById('more').hidden = shown >= matches.length;
}
setup();
"""

BODY = """<header>
<h1>MSS-Embodied episodes</h1>
<div class="runs-summary" id="runs-summary"></div>
<div class="filters">
<label>variant <select id="f-variant"><option value="">all</option></select></label>
<label>task <select id="f-task"><option value="">all</option></select></label>
<label>category <select id="f-category"><option value="">all</option></select></label>
<label>class <select id="f-label"><option value="">any</option></select></label>
<label>run <select id="f-run"><option value="">all side by side</option></select></label>
<label><input type="checkbox" id="f-disagree"> judges disagree</label>
<label><input type="checkbox" id="f-errors"> errors</label>
<label><input type="checkbox" id="f-runs-differ"> runs differ</label>
<label><input type="search" id="f-text" placeholder="search id, instruction, answer"></label>
<span id="count"></span>
</div>
</header>
<main><div id="cards"></div><button id="more">show more</button></main>"""


def render_page(title: str = "MSS-Embodied episodes") -> str:
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title>"
            f"<style>{STYLE}</style></head><body>\n{BODY}\n<script src=\"data.js\"></script>\n"
            f"<script>{SCRIPT}</script>\n</body></html>\n")
