// The taker page: register → start → answer (each change saved at once, retried until acknowledged) →
// submit → score and rank. Everything goes through /api/v1; the clock follows the server's time.
(function () {
  "use strict";
  const root = document.getElementById("contest");
  if (!root) return;
  const slug = root.dataset.slug;
  const T = JSON.parse(document.getElementById("i18n").textContent);
  const storeKey = "sulieu.contest." + slug;
  const $ = (id) => document.getElementById(id);
  const fmt = (s, v) => s.replace(/%\((\w+)\)s/g, (_, k) => v[k]);
  let auth = JSON.parse(localStorage.getItem(storeKey) || "null");
  let attempt = null, skew = 0, timer = null, pending = 0;

  async function api(method, url, body) {
    const headers = { "Content-Type": "application/json" };
    if (auth) headers.Authorization = "Bearer " + auth.token;
    const r = await fetch("/api/v1/" + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const data = await r.json().catch(() => ({}));
    if (data.server_time) skew = Date.parse(data.server_time) - Date.now();
    return { status: r.status, data };
  }
  function show(id) {
    for (const s of ["register", "lobby", "paper", "result"]) $(s).hidden = s !== id;
  }
  function error(id, text) { $(id).querySelector(".error").textContent = text || ""; }

  function lobby() {
    root.querySelector("#lobby .who").textContent = auth.name;
    show("lobby");
  }

  $("register").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const body = { name: f.get("name"), unit_code: f.get("unit_code"), birth_year: parseInt(f.get("birth_year"), 10),
                   contact: f.get("contact") };
    const { status, data } = await api("POST", "contests/" + slug + "/register", body);
    if (status >= 400) return error("register", data.error);
    auth = { token: data.token, name: data.name, taker_id: data.taker_id };
    localStorage.setItem(storeKey, JSON.stringify(auth));
    lobby();
  });
  $("logout").addEventListener("click", () => { localStorage.removeItem(storeKey); auth = null; show("register"); });

  async function start() {
    const { status, data } = await api("POST", "contests/" + slug + "/attempts");
    if (status >= 400) return error("lobby", data.error);
    attempt = data;
    render(data.answers || {});
    if ($("prediction") && data.prediction != null) $("prediction").value = data.prediction;
    show("paper");
    tick();
    timer = setInterval(tick, 500);
  }
  $("start").addEventListener("click", start);
  $("again").addEventListener("click", () => { lobby(); });

  function render(saved) {
    const list = $("questions");
    list.textContent = "";
    for (const q of attempt.questions) {
      const li = $("t-question").content.firstElementChild.cloneNode(true);
      li.querySelector(".q-text").textContent = q.text;
      const box = li.querySelector(".options");
      const chosen = saved[String(q.id)] || [];
      for (const o of q.options) {
        const label = document.createElement("label");
        label.className = "option";
        const input = document.createElement("input");
        input.type = q.multiple ? "checkbox" : "radio";
        input.name = "q" + q.id;
        input.value = o.id;
        input.checked = chosen.includes(o.id);
        input.addEventListener("change", () => save(q, box));
        const span = document.createElement("span");
        span.textContent = o.text;
        label.append(input, span);
        box.append(label);
      }
      list.append(li);
    }
  }

  async function save(q, box) {
    const ids = [...box.querySelectorAll("input:checked")].map((i) => i.value);
    pending++;
    $("saved").textContent = T.saving;
    for (let tries = 0; tries < 20; tries++) {
      try {
        const { status, data } = await api("PUT", "attempts/" + attempt.attempt_id + "/answers/" + q.id, { option_ids: ids });
        if (status === 200) break;
        if (status === 409) { pending--; return finished(data.result, true); }
        if (status < 500 && status !== 429) { error("paper", data.error); break; }
      } catch (e) { /* network: retry */ }
      $("saved").textContent = T.retry;
      await new Promise((r) => setTimeout(r, 500 * (tries + 1)));
    }
    pending--;
    if (!pending) $("saved").textContent = T.saved;
  }

  function tick() {
    if (!attempt) return;
    const left = Math.max(0, Date.parse(attempt.deadline) - (Date.now() + skew));
    const s = Math.ceil(left / 1000);
    $("clock").textContent = String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
    root.querySelector(".clock").classList.toggle("low", s <= 60);
    if (left <= 0) { clearInterval(timer); setTimeout(fetchResult, 300); }
  }

  async function fetchResult() {
    const { data } = await api("GET", "attempts/" + attempt.attempt_id);
    finished(data.result, true, data.certificate_url);
  }

  $("paper").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!confirm(T.confirm)) return;
    const p = $("prediction") && $("prediction").value !== "" ? parseInt($("prediction").value, 10) : null;
    const { status, data } = await api("POST", "attempts/" + attempt.attempt_id + "/submit", p === null ? {} : { prediction: p });
    if (status === 200) return finished(data, false, data.certificate_url);
    if (status === 409 && data.result) return finished(data.result, true);
    error("paper", data.error);
  });

  async function finished(result, auto, certUrl) {
    clearInterval(timer);
    if (!result) return fetchResult();
    const box = $("result");
    box.querySelector(".score").textContent = (auto && result.auto_submitted ? T.timeup + " " : "") +
      fmt(T.score, { correct: result.correct, questions: result.questions, score: result.score,
      seconds: Number(result.duration_s).toLocaleString("vi-VN", { maximumFractionDigits: 1 }) });
    if (certUrl) box.querySelector(".cert").href = certUrl;
    else { const d = await api("GET", "attempts/" + result.attempt_id); box.querySelector(".cert").href = d.data.certificate_url; }
    const board = await api("GET", "contests/" + slug + "/leaderboard?limit=1");
    if (board.data.me) box.querySelector(".rank").textContent = fmt(T.rank, { rank: board.data.me.rank });
    attempt = null;
    show("result");
  }

  if (auth) lobby(); else show("register");
})();
