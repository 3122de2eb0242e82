// A declared-site inspection (or its plan) names a site or an object of verification; a challenge
// inspection draws its specified area.
document.addEventListener("DOMContentLoaded", () => {
  const kind = document.getElementById("id_kind");
  if (!kind) return;
  const rows = { declared_site: ".field-site, .field-object_of_verification", challenge: ".field-area" };
  const showRowsForKind = () => {
    for (const [value, selector] of Object.entries(rows)) {
      for (const row of document.querySelectorAll(selector)) {
        row.style.display = kind.value && kind.value !== value ? "none" : "";
      }
    }
    (window.maps || []).forEach((map) => map.invalidateSize());
  };
  kind.addEventListener("change", showRowsForKind);
  showRowsForKind();
});
