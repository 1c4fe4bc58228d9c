// The store-opening form: fill the store address from the name until the owner types one, and show the final URL.
(() => {
  const name = document.querySelector("[data-slug-source]");
  const slug = document.querySelector("[data-slug-input]");
  const preview = document.querySelector("[data-slug-preview]");
  if (!name || !slug) return;
  const slugify = (text) =>
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/g, "");
  let typed = slug.value !== "" && slug.value !== slugify(name.value);
  const show = () => {
    if (preview) preview.textContent = `${preview.dataset.prefix}${slug.value || "…"}/`;
  };
  name.addEventListener("input", () => {
    if (!typed) slug.value = slugify(name.value);
    show();
  });
  slug.addEventListener("input", () => {
    typed = slug.value !== "";
    slug.value = slug.value.toLowerCase().replace(/[^a-z0-9-]/g, "-");
    show();
  });
  if (!slug.value) slug.value = slugify(name.value);
  show();
})();
