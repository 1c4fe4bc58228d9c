// Team search on a proposal: results appear while typing, from the proposal's own JSON endpoint (santri of the
// proposal's pesantren only). Without JavaScript the same form searches by a GET round trip. Each result is a
// small POST form, so adding a santri works the same either way. A static file: no inline script under the CSP.
(() => {
  const form = document.querySelector("[data-team-search]");
  const list = document.querySelector("[data-team-results]");
  if (!form || !list) return;
  const input = form.querySelector("input[name=q]");
  let timer = null;
  let latest = 0;

  function render(results) {
    list.replaceChildren();
    if (!results.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = list.dataset.emptyLabel;
      list.append(li);
      return;
    }
    for (const santri of results) {
      const li = document.createElement("li");
      const label = document.createElement("span");
      label.textContent = santri.name + " ";
      const meta = document.createElement("span");
      meta.className = "muted";
      meta.textContent = "· NIS " + santri.nis + " · " + santri.entry_year;
      label.append(meta);
      const add = document.createElement("form");
      add.method = "post";
      add.action = list.dataset.inviteUrl;
      for (const [name, value] of [["csrfmiddlewaretoken", list.dataset.csrf], ["santri", String(santri.id)]]) {
        const hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = name;
        hidden.value = value;
        add.append(hidden);
      }
      const button = document.createElement("button");
      button.type = "submit";
      button.className = "button secondary";
      button.textContent = list.dataset.addLabel;
      add.append(button);
      li.append(label, add);
      list.append(li);
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value.trim();
    if (query.length < 2) {
      list.replaceChildren();
      return;
    }
    timer = setTimeout(async () => {
      const mine = ++latest;
      try {
        const response = await fetch(form.dataset.teamSearch + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok || mine !== latest) return;
        render((await response.json()).results);
      } catch {
        // Offline or the server is slow: the Search button still works.
      }
    }, 200);
  });
})();
