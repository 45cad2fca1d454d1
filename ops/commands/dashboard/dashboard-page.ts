/** The URL paths the dashboard server answers. */
export const DASHBOARD_PATHS = { page: '/', snapshot: '/dashboard.json', chart: '/chart.svg' } as const;

/**
 * The dashboard's one HTML page. Its script polls the snapshot every `pollSeconds` and renders it
 * with `textContent` only (never as markup: the values come from state), and re-fetches the chart.
 */
export function dashboardPage(pollSeconds: number): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>proving pipeline</title>
<link rel="icon" href="data:,">
<style>
body { font-family: sans-serif; margin: 1.2em; color: #222; }
h1 { font-size: 1.3em; margin: 0 0 .2em; } h2 { font-size: 1.05em; margin: 1.2em 0 .3em; }
table { border-collapse: collapse; font-size: .9em; } td, th { padding: 2px 10px 2px 0; text-align: left; }
th { border-bottom: 1px solid #ccc; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.muted { color: #777; } .error { color: #b00; } code { font-size: .9em; }
.row { display: flex; gap: 3em; flex-wrap: wrap; }
</style>
</head>
<body>
<h1>proving pipeline</h1>
<div class="muted"><span id="target"></span> · updated <span id="updated">never</span> <span id="problem" class="error"></span></div>
<h2>heads</h2>
<div class="row">
<table id="heads"><thead><tr><th>head</th><th>block</th><th>lag (blocks)</th><th>lag (s)</th></tr></thead><tbody></tbody></table>
<img id="chart" alt="heads over the run" src="${DASHBOARD_PATHS.chart}">
</div>
<h2>groups per stage</h2>
<table id="stages"><thead><tr><th>stage</th><th>program</th><th>groups by status</th><th>oldest open</th><th>breaker</th></tr></thead><tbody></tbody></table>
<h2>waiting on a person</h2>
<table id="waits"><thead><tr><th>item</th><th>status</th><th>reason</th></tr></thead><tbody></tbody></table>
<h2>recent jobs</h2>
<table id="jobs"><thead><tr><th>group</th><th>status</th><th>attempt</th><th>job</th><th>job id</th><th>claimed</th><th>duration (s)</th></tr></thead><tbody></tbody></table>
<h2>recent proposals</h2>
<table id="proposals"><thead><tr><th>L2 block</th><th>status</th><th>L1 block</th><th>transaction</th></tr></thead><tbody></tbody></table>
<h2>dead-letter queues and proposer</h2>
<table id="queues"><tbody></tbody></table>
<script>
"use strict";
const show = (value) => (value === undefined || value === null || value === '' ? '–' : String(value));
function fill(tableId, rows) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren(...rows.map((cells) => {
    const tr = document.createElement('tr');
    for (const cell of cells) {
      const td = document.createElement('td');
      const spec = typeof cell === 'object' && cell !== null ? cell : { text: cell };
      td.textContent = show(spec.text);
      if (spec.id) td.id = spec.id;
      if (spec.numeric) td.className = 'n';
      tr.append(td);
    }
    return tr;
  }));
  if (rows.length === 0) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    td.className = 'muted';
    td.textContent = 'none';
    tr.append(td);
    body.append(tr);
  }
}
function render(snapshot) {
  const s = snapshot.status;
  document.getElementById('target').textContent = s.target;
  document.getElementById('updated').textContent = s.at;
  const l2 = s.l2;
  fill('heads', [
    ['L2 latest', { text: l2.latest.block, numeric: true, id: 'head-l2-latest' }, '', ''],
    ['L2 safe', { text: l2.safe.block, numeric: true }, '', ''],
    ['L2 finalized', { text: l2.finalized.block, numeric: true }, '', ''],
    ...s.heads.map((h) => [h.name,
      { text: h.block, numeric: true, id: h.name === 'proposed (oracle)' ? 'head-proposed' : undefined },
      { text: h.lagBlocks, numeric: true }, { text: h.lagSeconds, numeric: true }]),
  ]);
  fill('stages', s.stages.map((st) => [st.stage, st.program,
    Object.entries(st.groups).map(([status, n]) => status + ' ' + n).join(', '),
    st.oldestOpen ? st.oldestOpen.id + ' (' + st.oldestOpen.status + ', ' + st.oldestOpen.ageSeconds + ' s)' : '',
    st.breaker.status + (st.breaker.reason ? ': ' + st.breaker.reason : '')]));
  fill('waits', [
    ...s.pauses.map((p) => [p.itemId, 'paused (' + p.target + ')',
      p.reason + ' (by ' + p.by + ', ' + p.setter + ', since ' + p.since + ')']),
    ...s.stages.flatMap((st) => st.waits.map((w) => [w.id, w.status, w.reason])),
    ...s.proposer.waits.map((w) => [w.id, w.reason, w.message + ' (since ' + w.since + ')']),
  ]);
  fill('jobs', snapshot.recentJobs.map((j) => [j.groupId, j.status, { text: j.attempt, numeric: true },
    j.jobName, j.jobId, j.claimedAt, { text: j.durationSeconds, numeric: true }]));
  fill('proposals', snapshot.recentProposals.map((p) => [{ text: p.l2Block, numeric: true }, p.status,
    { text: p.l1Block, numeric: true }, p.txHash]));
  fill('queues', [
    ...Object.entries(s.deadLetterQueues).map(([topic, depth]) => ['DLQ ' + topic, { text: depth, numeric: true }]),
    ['proposer ' + s.proposer.address, (Number(BigInt(s.proposer.balanceWei) / 10n ** 15n) / 1000) + ' ETH'],
    ['lease', s.proposer.leases.map((l) => l.owner + ' until ' + l.expiresAt).join(', ')],
    ['open transactions', s.proposer.openTransactions.map((t) => 'nonce ' + t.nonce + ' ' + t.hash).join(', ')],
  ]);
  document.getElementById('chart').src = '${DASHBOARD_PATHS.chart}?at=' + encodeURIComponent(s.at);
}
async function refresh() {
  try {
    const response = await fetch('${DASHBOARD_PATHS.snapshot}', { cache: 'no-store' });
    if (!response.ok) throw new Error('the server answered ' + response.status);
    const snapshot = await response.json();
    render(snapshot);
    document.getElementById('problem').textContent = snapshot.sampleError ? 'last read failed: ' + snapshot.sampleError : '';
  } catch (error) {
    document.getElementById('problem').textContent = 'refresh failed: ' + error.message;
  }
}
refresh();
setInterval(refresh, ${Math.round(pollSeconds * 1000)});
</script>
</body>
</html>
`;
}
