// The address widget (templates/components/address_fields.html): each region select fills the next one at once
// from /wilayah/<kode>/anak.json, the village fills in the postal code, and outside East Java the district and
// village are typed. Without this script the "Choose" buttons do the same with a round trip.
(() => {
  const cache = new Map();
  const load = (url) => {
    if (!cache.has(url)) {
      cache.set(
        url,
        fetch(url, { headers: { Accept: "application/json" } }).then((r) => (r.ok ? r.json() : { anak: [] })),
      );
    }
    return cache.get(url);
  };

  for (const box of document.querySelectorAll("[data-wilayah]")) {
    if (box.dataset.wilayahReady) continue;
    box.dataset.wilayahReady = "1";
    for (const button of box.querySelectorAll("[data-wilayah-refresh]")) button.remove();
    const pick = (suffix) => box.querySelector(`select[name$="alamat_${suffix}"]`);
    const levels = ["provinsi", "kabupaten", "kecamatan", "desa"].map(pick);
    const postal = box.querySelector("input[data-kodepos]");
    const villagesOnly = box.querySelector("[data-wilayah-villages-only]");
    const typedOnly = box.querySelector("[data-wilayah-typed-only]");
    const childrenUrl = (kode) => box.dataset.wilayahUrl.replace("/35/", `/${kode}/`);

    const reset = (select) => {
      const placeholder = select.options[0];
      select.replaceChildren(placeholder);
      select.value = "";
    };
    const showVillages = () => {
      const inEastJava = levels[0].value === box.dataset.wilayahVillages;
      villagesOnly.hidden = !inEastJava;
      typedOnly.hidden = inEastJava;
      levels[2].required = levels[3].required = inEastJava;
    };

    levels.forEach((select, index) => {
      const next = levels[index + 1];
      if (!select) return;
      select.addEventListener("change", async () => {
        if (index === 0) showVillages();
        if (!next) {
          const code = select.selectedOptions[0]?.dataset.kodepos;
          if (code && postal) {
            postal.value = code;
            postal.dispatchEvent(new Event("input", { bubbles: true }));
          }
          return;
        }
        for (const below of levels.slice(index + 1)) reset(below);
        if (!select.value) return;
        if (index >= 1 && levels[0].value !== box.dataset.wilayahVillages) return;
        const data = await load(childrenUrl(select.value));
        if (select.value !== data.kode) return; // changed again meanwhile
        for (const child of data.anak) {
          const option = new Option(child.nama, child.kode);
          if (child.kodepos) option.dataset.kodepos = child.kodepos;
          next.append(option);
        }
      });
    });
  }
})();
