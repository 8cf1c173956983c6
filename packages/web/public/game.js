// Runner: a small endless-runner drawn on a canvas (our own shapes, no assets). Each run's score
// is written to the board "runner" (operator best); after it, the page shows the player's rank
// and the players around them. The player is asked a name once; it is kept in this browser.
import { NAME, RANK, TOTAL, renderRows } from '/assets/rows.js';

const $ = (id) => document.getElementById(id);
const canvas = $('field');
const ctx = canvas.getContext('2d');
const W = canvas.width;
const H = canvas.height;
const GROUND = H - 40;
const enc = encodeURIComponent;

let me = JSON.parse(localStorage.getItem('scoreboard.runner') || 'null');
const game = {
  running: false,
  over: false,
  t: 0,
  y: 0,
  vy: 0,
  rocks: [],
  speed: 6,
  score: 0,
  next: 60,
  last: 0,
};

function draw() {
  ctx.fillStyle = '#e8eefc';
  ctx.fillRect(0, 0, W, H);
  ctx.fillStyle = '#9aa7c7';
  ctx.fillRect(0, GROUND, W, 2);
  for (let x = -(game.t * game.speed) % 40; x < W; x += 40) ctx.fillRect(x, GROUND + 12, 12, 2);
  // The runner: a round body, an eye, and two legs that swing while on the ground.
  const px = 80;
  const py = GROUND - 30 - game.y;
  ctx.fillStyle = '#1d4ed8';
  ctx.beginPath();
  ctx.arc(px, py, 16, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#fff';
  ctx.beginPath();
  ctx.arc(px + 6, py - 5, 4, 0, Math.PI * 2);
  ctx.fill();
  ctx.strokeStyle = '#16161d';
  ctx.lineWidth = 3;
  const swing = game.y > 0 ? 0 : Math.sin(game.t / 3) * 6;
  ctx.beginPath();
  ctx.moveTo(px - 5, py + 14);
  ctx.lineTo(px - 5 + swing, GROUND);
  ctx.moveTo(px + 5, py + 14);
  ctx.lineTo(px + 5 - swing, GROUND);
  ctx.stroke();
  ctx.fillStyle = '#6b4f2a';
  for (const r of game.rocks) {
    ctx.beginPath();
    ctx.moveTo(r.x, GROUND);
    ctx.lineTo(r.x + r.w / 2, GROUND - r.h);
    ctx.lineTo(r.x + r.w, GROUND);
    ctx.fill();
  }
  ctx.fillStyle = '#16161d';
  ctx.font = '16px system-ui, sans-serif';
  ctx.fillText(`Score ${game.score}`, W - 120, 24);
}

function step() {
  game.t++;
  game.speed = 6 + game.t / 600;
  game.score = Math.floor(game.t / 5);
  game.vy -= 0.9;
  game.y = Math.max(0, game.y + game.vy);
  if (game.y === 0) game.vy = 0;
  if (--game.next <= 0) {
    game.rocks.push({ x: W, w: 20 + Math.random() * 20, h: 20 + Math.random() * 25 });
    game.next = 50 + Math.floor(Math.random() * 70);
  }
  for (const r of game.rocks) r.x -= game.speed;
  game.rocks = game.rocks.filter((r) => r.x + r.w > 0);
  // A hit: the runner's feet below a rock's slope where it stands.
  const hit = game.rocks.some((r) => r.x < 92 && r.x + r.w > 68 && game.y < r.h - 6);
  draw();
  if (hit) return finish();
  requestAnimationFrame(step);
}

function jump() {
  if (!me) return;
  if (!game.running) return start();
  if (game.y === 0) game.vy = 14;
}

function start() {
  Object.assign(game, { running: true, over: false, t: 0, y: 0, vy: 0, rocks: [], next: 60 });
  $('hud').textContent = 'Running…';
  $('result').hidden = true;
  requestAnimationFrame(step);
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = res.status === 204 ? null : await res.json();
  if (!res.ok) throw new Error(answer?.error?.message || `HTTP ${res.status}`);
  return answer;
}

async function finish() {
  game.running = false;
  game.over = true;
  const score = game.score;
  $('hud').textContent = `Game over: ${score}. Press Space or tap to run again.`;
  const result = $('result');
  result.hidden = false;
  try {
    const kept = await api('PUT', '/boards/runner/scores', { user: me.id, total: score });
    result.textContent = `Run ${score} · your best ${kept.total} · rank ${kept.rank}`;
    result.dataset.rank = String(kept.rank);
    const rows = await api('GET', `/boards/runner/around/${enc(me.id)}?size=2`);
    renderRows($('around').tBodies[0], rows, [RANK, NAME, TOTAL], me.id);
    $('around').hidden = false;
  } catch (err) {
    result.textContent = `Run ${score}: not saved (${err.message}).`;
  }
}

async function register(name) {
  const id = `web-${crypto.getRandomValues(new Uint32Array(2)).join('').slice(0, 16)}`;
  await api('PUT', `/players/${id}`, { name });
  me = { id, name };
  localStorage.setItem('scoreboard.runner', JSON.stringify(me));
  ready();
}

function ready() {
  $('who').hidden = true;
  $('mine').href = `/players/${enc(me.id)}/page`;
  $('hud').textContent = `Hello ${me.name}. Press Space or tap to start.`;
  canvas.focus();
}

$('who').onsubmit = (e) => {
  e.preventDefault();
  register($('name').value.trim()).catch((err) => ($('hud').textContent = err.message));
};
document.addEventListener('keydown', (e) => {
  if ((e.code === 'Space' || e.code === 'ArrowUp') && document.activeElement !== $('name')) {
    e.preventDefault();
    jump();
  }
});
canvas.addEventListener('pointerdown', jump);
draw();
if (me) ready();
else {
  $('who').hidden = false;
  $('hud').textContent = 'Tell us your name to play.';
  $('name').focus();
}
