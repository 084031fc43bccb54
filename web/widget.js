// The chat widget: talks to Rasa's REST channel, in the resident's language (fi, sv, en).
// Everything received is shown as text (textContent), never as HTML; web links in a reply become links.
"use strict";

const UI = {
  fi: {
    title: "Helsingin kansainvälinen toiminta – kysy botilta",
    language: "Kieli",
    input: "Kirjoita kysymyksesi",
    placeholder: "Esim. Mitä ECHA tekee?",
    send: "Lähetä",
    typing: "Botti kirjoittaa…",
    error: "Palvelimeen ei saatu yhteyttä. Viestiäsi ei menetetty.",
    retry: "Yritä uudelleen",
    welcome: "Hei! Kysy minulta Helsingin kansainvälisestä toiminnasta.",
    about: "Tietoa avustajasta",
    disclosure:
      "Tämä on automaattinen avustaja, ei ihminen. Se vastaa vain Helsingin kaupungin kansainvälistä " +
      "toimintaa koskeviin kysymyksiin, julkaistujen lähteiden (enimmäkseen kaupungin omien sivujen) " +
      "pohjalta, ja kertoo niiden päivämäärät. Älä kirjoita henkilötietoja.",
    privacy: "Tietosuojaseloste",
    accessibility: "Saavutettavuusseloste",
    delete: "Poista keskustelu",
    confirm: "Poistetaanko tämä keskustelu? Se poistetaan palvelimelta ja tästä selaimesta, eikä sitä voi palauttaa.",
    confirmYes: "Poista",
    confirmNo: "Peruuta",
    deleted: "Keskustelu poistettiin.",
    deleteFailed: "Keskustelua ei voitu poistaa, koska palvelimeen ei saatu yhteyttä. Yritä uudelleen.",
    helpful: "Oliko vastauksesta apua?",
    yes: "Kyllä",
    no: "Ei",
    thanks: "Kiitos palautteesta.",
    rateFailed: "Palautetta ei voitu lähettää. Yritä uudelleen.",
    busy: "Juuri nyt kysyjiä on enemmän kuin ehdin palvella. Yritän uudelleen hetken päästä…",
  },
  sv: {
    title: "Helsingfors internationella verksamhet – fråga boten",
    language: "Språk",
    input: "Skriv din fråga",
    placeholder: "T.ex. Vad gör ECHA?",
    send: "Skicka",
    typing: "Boten skriver…",
    error: "Det gick inte att nå servern. Ditt meddelande har inte gått förlorat.",
    retry: "Försök igen",
    welcome: "Hej! Fråga mig om Helsingfors internationella verksamhet.",
    about: "Om assistenten",
    disclosure:
      "Det här är en automatisk assistent, inte en människa. Den svarar bara på frågor om Helsingfors " +
      "stads internationella verksamhet, utifrån publicerade källor (mest stadens egna sidor), och anger " +
      "deras datum. Skriv inga personuppgifter.",
    privacy: "Dataskyddsbeskrivning",
    accessibility: "Tillgänglighetsutlåtande",
    delete: "Radera samtalet",
    confirm: "Ska det här samtalet raderas? Det raderas från servern och från den här webbläsaren och kan inte återställas.",
    confirmYes: "Radera",
    confirmNo: "Avbryt",
    deleted: "Samtalet raderades.",
    deleteFailed: "Samtalet kunde inte raderas eftersom servern inte kunde nås. Försök igen.",
    helpful: "Var svaret till hjälp?",
    yes: "Ja",
    no: "Nej",
    thanks: "Tack för din respons.",
    rateFailed: "Responsen kunde inte skickas. Försök igen.",
    busy: "Just nu är det fler som frågar än jag hinner svara. Jag försöker igen om en stund…",
  },
  en: {
    title: "Helsinki's international work – ask the bot",
    language: "Language",
    input: "Type your question",
    placeholder: "E.g. What does ECHA do?",
    send: "Send",
    typing: "The bot is typing…",
    error: "The server could not be reached. Your message was not lost.",
    retry: "Try again",
    welcome: "Hi! Ask me about the City of Helsinki's international work.",
    about: "About this assistant",
    disclosure:
      "This is an automated assistant, not a person. It answers only questions about the City of " +
      "Helsinki's international work, from published sources (mostly the city's own pages), with their " +
      "dates. Please do not type personal data.",
    privacy: "Privacy notice",
    accessibility: "Accessibility statement",
    delete: "Delete conversation",
    confirm: "Delete this conversation? It is erased from the server and from this browser, and cannot be restored.",
    confirmYes: "Delete",
    confirmNo: "Cancel",
    deleted: "The conversation was deleted.",
    deleteFailed: "The conversation could not be deleted: the server could not be reached. Please try again.",
    helpful: "Was this answer helpful?",
    yes: "Yes",
    no: "No",
    thanks: "Thank you for your feedback.",
    rateFailed: "The feedback could not be sent. Please try again.",
    busy: "More people are asking right now than I can answer. Trying again in a moment…",
  },
};

const STORE = { sender: "hia.sender", history: "hia.history", language: "hia.language" };
const RASA_URL = document.querySelector('meta[name="rasa-url"]').content.replace(/\/$/, "");
const TIMEOUT_MS = 15000;
const MOST_RETRY_WAIT_MS = 10000; // a server's Retry-After is followed up to this

const $ = (id) => document.getElementById(id);
const log = $("log");
let pending = null; // the message that could not be delivered, kept for "try again"

function senderId() {
  let id = localStorage.getItem(STORE.sender);
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    localStorage.setItem(STORE.sender, id);
  }
  return id;
}

function browserLanguage() {
  for (const tag of navigator.languages || [navigator.language]) {
    const code = String(tag).slice(0, 2).toLowerCase();
    if (code in UI) return code;
  }
  return "en";
}

// The resident's own choice in the switcher; until there is one, the browser's language is only the
// page's, which the assistant takes as a hint after the language of the resident's own words.
let chosen = localStorage.getItem(STORE.language) in UI;
let language = chosen ? localStorage.getItem(STORE.language) : browserLanguage();

function applyLanguage() {
  const t = UI[language];
  document.documentElement.lang = language;
  $("language").value = language;
  $("chat-title").textContent = t.title;
  $("language-label").textContent = t.language;
  $("input-label").textContent = t.input;
  $("input").placeholder = t.placeholder;
  $("send").textContent = t.send;
  $("typing").textContent = t.typing;
  $("error-text").textContent = t.error;
  $("retry").textContent = t.retry;
  $("about-title").textContent = t.about;
  $("disclosure").textContent = t.disclosure;
  $("privacy-link").textContent = t.privacy;
  $("privacy-link").href = `privacy.${language}.html`;
  $("accessibility-link").textContent = t.accessibility;
  $("accessibility-link").href = `accessibility.${language}.html`;
  $("delete").textContent = t.delete;
  $("confirm-text").textContent = t.confirm;
  $("confirm-yes").textContent = t.confirmYes;
  $("confirm-no").textContent = t.confirmNo;
}

// --- history: what was said, kept in the browser so that a reload shows it again ---------------

function history() {
  try {
    return JSON.parse(localStorage.getItem(STORE.history)) || [];
  } catch {
    return [];
  }
}

function remember(entry) {
  const all = history();
  all.push(entry);
  saveHistory(all);
}

function saveHistory(all) {
  localStorage.setItem(STORE.history, JSON.stringify(all.slice(-200)));
}

// A reply's language and sources come as a message of their own ({"custom": {"language", "sources",
// "note", "answer"}}) right after its text: they belong to the answer just shown. An answer told from
// the facts has an id, by which the resident can say whether it helped.
function attachCustom(custom) {
  const all = history();
  const last = all[all.length - 1];
  const bubbles = log.querySelectorAll(".message--bot");
  if (!last || last.from !== "bot" || !bubbles.length) return;
  const bubble = bubbles[bubbles.length - 1];
  if (custom.language in UI) {
    last.lang = custom.language;
    bubble.lang = custom.language; // WCAG 3.1.2: a reply may be in another language than the page
  }
  if (Array.isArray(custom.sources)) {
    last.caption = { sources: custom.sources, note: custom.note };
    showCaption(bubble, last.caption);
  }
  if (typeof custom.answer === "string") {
    last.answer = custom.answer;
    showRating(bubble, last);
  }
  saveHistory(all);
}

// --- rendering --------------------------------------------------------------------------------

const LINK = /https?:\/\/[^\s<>"”“]+[^\s<>"”“.,;:!?)]/g;

function appendText(element, text) {
  // Text nodes for everything, <a> only for http(s) addresses.
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    element.append(document.createTextNode(text.slice(last, match.index)));
    const a = document.createElement("a");
    a.href = match[0];
    a.textContent = match[0];
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    element.append(a);
    last = match.index + match[0].length;
  }
  element.append(document.createTextNode(text.slice(last)));
}

// One entry of the history: {from, text, and for an answer: caption, lang, answer (its id), rated}.
function showMessage(entry) {
  const bubble = document.createElement("div");
  bubble.className = `message message--${entry.from}`;
  if (entry.lang) bubble.lang = entry.lang;
  appendText(bubble, entry.text);
  if (entry.caption) showCaption(bubble, entry.caption);
  if (entry.answer) showRating(bubble, entry);
  log.append(bubble);
}

// The sources of an answer and the note on their age, in smaller type under its text: each source's
// title links to it, then its publisher and date.
function showCaption(bubble, { sources, note }) {
  const caption = document.createElement("div");
  caption.className = "message__caption";
  for (const source of Array.isArray(sources) ? sources : []) {
    const line = document.createElement("p");
    const title = String(source.title ?? "");
    if (/^https?:\/\/\S+$/.test(String(source.url ?? ""))) {
      const a = document.createElement("a");
      a.href = source.url;
      a.textContent = title;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
      line.append(a);
    } else {
      line.append(document.createTextNode(title));
    }
    line.append(document.createTextNode(` – ${source.publisher ?? ""}, ${source.date ?? ""}`));
    caption.append(line);
  }
  if (note) {
    const line = document.createElement("p");
    appendText(line, String(note));
    caption.append(line);
  }
  bubble.append(caption);
}

// "Was this answer helpful?" under an answer, in the answer's language: yes and no buttons in a group
// named by the question; once rated, a thank-you in their place, also after a reload.
function showRating(bubble, entry) {
  const t = UI[entry.lang in UI ? entry.lang : language];
  const rating = document.createElement("div");
  rating.className = "message__rating";
  if (typeof entry.rated === "boolean") {
    rating.textContent = t.thanks;
  } else {
    const question = document.createElement("span");
    question.id = `rating-${entry.answer}`;
    question.textContent = t.helpful;
    rating.setAttribute("role", "group");
    rating.setAttribute("aria-labelledby", question.id);
    rating.append(question);
    for (const [helpful, label] of [[true, t.yes], [false, t.no]]) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.addEventListener("click", () => rate(entry.answer, helpful, rating, t));
      rating.append(button);
    }
  }
  bubble.append(rating);
}

function showButtons(buttons) {
  document.querySelectorAll(".replies").forEach((old) => old.remove());
  if (!buttons || !buttons.length) return;
  const group = document.createElement("div");
  group.className = "replies";
  group.setAttribute("role", "group");
  for (const { title, payload } of buttons) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = String(title);
    button.addEventListener("click", () => pending || send(String(payload), String(title)));
    group.append(button);
  }
  log.append(group);
}

function scrollDown() {
  log.scrollTop = log.scrollHeight;
}

function render() {
  log.replaceChildren();
  const all = history();
  if (!all.length) showMessage({ from: "bot", text: UI[language].welcome, lang: language });
  for (const entry of all) showMessage(entry);
  const lastBot = [...all].reverse().find((e) => e.from === "bot");
  if (lastBot && all[all.length - 1] === lastBot) showButtons(lastBot.buttons);
  scrollDown();
}

// --- talking to Rasa --------------------------------------------------------------------------

// A JSON request to the REST channel (webhook, forget or feedback), given up after TIMEOUT_MS; the
// statuses in `accepted` besides 2xx are answers, not failures.
async function request(path, body, accepted = []) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(`${RASA_URL}/webhooks/rest/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: senderId(), ...body }),
      signal: controller.signal,
    });
    if (!response.ok && !accepted.includes(response.status)) {
      const error = new Error(`HTTP ${response.status}`);
      error.status = response.status;
      error.retryAfter = Number(response.headers.get("Retry-After"));
      throw error;
    }
    return await response.json();
  } finally {
    clearTimeout(timer);
  }
}

// A message keeps its id when it is sent again, so that the server answers it once: a Rasa worker
// killed in mid-turn may have stored it before the front answered 503.
function post(message, id) {
  const metadata = chosen ? { language, page_language: language } : { page_language: language };
  return request("webhook", { message, message_id: id, metadata });
}

function newMessageId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

// A rating is kept once: 409 says this answer was rated already (from another tab), which counts as done.
async function rate(answer, helpful, rating, t) {
  try {
    await request("feedback", { answer, helpful }, [409]);
  } catch {
    $("status").textContent = t.rateFailed;
    return;
  }
  const all = history();
  const entry = all.find((e) => e.answer === answer);
  if (entry) entry.rated = helpful;
  saveHistory(all);
  rating.removeAttribute("role");
  rating.removeAttribute("aria-labelledby");
  rating.replaceChildren(t.thanks);
  $("status").textContent = t.thanks;
  $("input").focus(); // the button pressed is gone: focus goes where the resident goes on
}

// Erases the conversation on the server (and its unanswered questions and ratings), then here: the history and the
// sender id go, so the next message starts a new conversation. An id the server does not know (404)
// has nothing left to erase there.
async function forget() {
  await request("forget", {}, [404]);
  localStorage.removeItem(STORE.history);
  localStorage.removeItem(STORE.sender);
  pending = null;
  $("error").hidden = true;
  render();
}

// A busy server (503) says when to come back (Retry-After): the resident is told, and the message is
// sent once more after that wait; a second refusal shows the error with its "Try again" button.
async function postOrWaitOnce(message, id) {
  try {
    return await post(message, id);
  } catch (error) {
    if (error.status !== 503) throw error;
    const seconds = Number.isFinite(error.retryAfter) && error.retryAfter > 0 ? error.retryAfter : 2;
    $("status").textContent = UI[language].busy;
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * seconds, MOST_RETRY_WAIT_MS)));
    $("status").textContent = "";
    return await post(message, id);
  }
}

async function send(message, shown = message) {
  $("error").hidden = true;
  if (!pending) {
    remember({ from: "user", text: shown });
    showMessage({ from: "user", text: shown });
    showButtons([]);
  }
  pending = { message, shown, id: pending ? pending.id : newMessageId() };
  $("typing").hidden = false;
  scrollDown();
  try {
    const replies = await postOrWaitOnce(message, pending.id);
    pending = null;
    for (const reply of replies) {
      if (reply.custom && typeof reply.custom === "object") attachCustom(reply.custom);
      if (typeof reply.text !== "string") continue;
      const buttons = Array.isArray(reply.buttons) ? reply.buttons : [];
      remember({ from: "bot", text: reply.text, buttons });
      showMessage({ from: "bot", text: reply.text });
      showButtons(buttons);
    }
  } catch {
    $("error").hidden = false;
  } finally {
    $("typing").hidden = true;
    scrollDown();
  }
}

$("form").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("input").value.trim();
  if (!text || pending) return;
  $("input").value = "";
  send(text);
});

$("delete").addEventListener("click", () => {
  $("status").textContent = "";
  $("confirm").showModal();
});
$("confirm-no").addEventListener("click", () => $("confirm").close());
$("confirm-yes").addEventListener("click", async () => {
  $("confirm").close();
  try {
    await forget();
    $("status").textContent = UI[language].deleted;
  } catch {
    $("status").textContent = UI[language].deleteFailed;
  }
  $("input").focus();
});

$("retry").addEventListener("click", () => {
  if (pending) send(pending.message, pending.shown);
});

$("language").addEventListener("change", (event) => {
  language = event.target.value;
  chosen = true;
  localStorage.setItem(STORE.language, language);
  applyLanguage();
  if (!history().length) render();
});

applyLanguage();
render();
