{% autoescape off %}// OPOP Mart's service worker (rendered by opop.pwa.service_worker, served at /sw.js with the whole site as scope).
// - The shell (the store's home and the offline page) and the static files are kept at install.
// - Static files: from the cache first, refreshed in the background.
// - Pages: from the network; product and store pages that load are kept (the most recent few) so they can be
//   read offline; when the network is gone a kept page is shown, else the offline page, which lists them.
// - Logging out drops the kept pages: they were seen by the person who logged in.
const CONFIG = {{ config }};
const SHELL = `${CONFIG.version}-shell`;
const STATIC = `${CONFIG.version}-static`;
const PAGES = `${CONFIG.version}-pages`;
const IMAGES = `${CONFIG.version}-images`;
// Offline, a picture never seen before shows as a plain tile instead of a broken image.
const PLACEHOLDER = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"><rect width="4" height="3" fill="#e8f3ec"/></svg>';
const PAGE_PATTERNS = CONFIG.pagePatterns.map((p) => new RegExp(p));

self.addEventListener("install", (event) => {
  event.waitUntil(
    Promise.all([
      caches.open(SHELL).then((cache) => cache.addAll(CONFIG.shell)),
      caches.open(STATIC).then((cache) => cache.addAll(CONFIG.static)),
    ]).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => !n.startsWith(`${CONFIG.version}-`)).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

const keepPage = async (href, response) => {
  const cache = await caches.open(PAGES);
  await cache.delete(href); // put again so the most recently viewed page is last
  await cache.put(href, response);
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - CONFIG.pageLimit))) await cache.delete(old);
};

const fromNetworkForPage = async (event) => {
  const url = new URL(event.request.url);
  try {
    const response = await fetch(event.request);
    if (response.ok && PAGE_PATTERNS.some((p) => p.test(url.pathname))) {
      await keepPage(url.href, response.clone());
    } else if (response.ok && CONFIG.shell.includes(url.pathname) && !url.search) {
      await (await caches.open(SHELL)).put(url.pathname, response.clone());
    }
    return response;
  } catch (error) {
    const kept = (await caches.match(url.href, { ignoreSearch: false })) || (await caches.match(url.pathname));
    return kept || (await caches.match(CONFIG.offlineUrl));
  }
};

const fromCacheForStatic = async (event) => {
  const cache = await caches.open(STATIC);
  const cached = await cache.match(event.request);
  const refresh = fetch(event.request)
    .then((response) => {
      if (response.ok) cache.put(event.request, response.clone());
      return response;
    })
    .catch(() => cached);
  if (cached) {
    event.waitUntil(refresh.then(() => undefined));
    return cached;
  }
  return refresh;
};

const fromCacheForImage = async (event) => {
  const cache = await caches.open(IMAGES);
  const cached = await cache.match(event.request);
  if (cached) return cached;
  try {
    const response = await fetch(event.request);
    if (response.ok) {
      await cache.put(event.request, response.clone());
      const keys = await cache.keys();
      for (const old of keys.slice(0, Math.max(0, keys.length - CONFIG.imageLimit))) await cache.delete(old);
    }
    return response;
  } catch (error) {
    return new Response(PLACEHOLDER, { headers: { "Content-Type": "image/svg+xml" } });
  }
};

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === CONFIG.logoutPath) {
    event.waitUntil(Promise.all([caches.delete(PAGES), caches.delete(IMAGES)]));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkForPage(event));
  } else if (url.pathname.startsWith(CONFIG.staticPrefix)) {
    event.respondWith(fromCacheForStatic(event));
  } else if (request.destination === "image" && url.pathname.startsWith(CONFIG.mediaPrefix)) {
    event.respondWith(fromCacheForImage(event));
  }
});
{% endautoescape %}
