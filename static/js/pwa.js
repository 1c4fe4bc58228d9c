// OPOP Mart as an installed app: registers the service worker (/sw.js) and, on the offline page, lists the
// product and store pages the worker kept on this device.
(() => {
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => undefined);
  });
  const list = document.querySelector("[data-offline-list]");
  if (!list || !("caches" in window)) return;
  const titleOf = async (response) => {
    const html = await response.text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    return (doc.querySelector("h1")?.textContent || doc.title || "").trim();
  };
  (async () => {
    const names = (await caches.keys()).filter((name) => name.endsWith("-pages"));
    const entries = [];
    for (const name of names) {
      const cache = await caches.open(name);
      for (const request of (await cache.keys()).reverse()) {
        const response = await cache.match(request);
        entries.push({ url: request.url, title: response ? await titleOf(response) : request.url });
      }
    }
    for (const entry of entries) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = entry.url;
      link.textContent = entry.title || new URL(entry.url).pathname;
      item.append(link);
      list.append(item);
    }
    if (entries.length) document.querySelector("[data-offline-empty]")?.setAttribute("hidden", "");
  })();
})();
