// Console texts from /console/locales/{lang}.json (the same files as the widget's).

export const UI_LANGUAGES = ["en", "hu", "fi", "tr"];
const STORAGE_KEY = "polydesk:console-language";

export const i18n = {
  language: "en",
  texts: {},

  initial() {
    let stored = null;
    try { stored = localStorage.getItem(STORAGE_KEY); } catch { /* ignore */ }
    const browser = (navigator.language || "en").split("-")[0].toLowerCase();
    return stored || (UI_LANGUAGES.includes(browser) ? browser : "en");
  },

  async load(language) {
    const response = await fetch(`/console/locales/${encodeURIComponent(language)}.json`);
    this.texts = await response.json();
    this.language = response.headers.get("Content-Language") || language;
    document.documentElement.lang = this.language;
    try { localStorage.setItem(STORAGE_KEY, this.language); } catch { /* ignore */ }
  },

  t(key, params = {}) {
    const template = this.texts[key] || key;
    return template.replace(/\{(\w+)\}/g, (all, name) => (name in params ? String(params[name]) : all));
  },

  /** "magyar", "suomi", ... named in their own language, from the browser's Intl data. */
  autonym(code) {
    try { return new Intl.DisplayNames([code], { type: "language" }).of(code); } catch { return code; }
  },
};

export const t = (key, params) => i18n.t(key, params);
