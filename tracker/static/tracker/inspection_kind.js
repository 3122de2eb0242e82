// A declared-site inspection names a site; a challenge inspection draws its specified area.
document.addEventListener("DOMContentLoaded", () => {
  const kind = document.getElementById("id_kind");
  if (!kind) return;
  const rows = { declared_site: ".field-site", challenge: ".field-area" };
  const showRowsForKind = () => {
    for (const [value, selector] of Object.entries(rows)) {
      const row = document.querySelector(selector);
      if (row) row.style.display = kind.value && kind.value !== value ? "none" : "";
    }
    (window.maps || []).forEach((map) => map.invalidateSize());
  };
  kind.addEventListener("change", showRowsForKind);
  showRowsForKind();
});
