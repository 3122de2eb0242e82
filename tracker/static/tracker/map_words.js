// Leaflet's own words on the admin's maps in the page's language, from the JavaScript catalogue: its zoom buttons
// and its link's tooltip, which it writes in English when it draws a map, and its drawing tools' (Leaflet.draw),
// which django-leaflet's admin widget leaves in English.
window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  const container = map.getContainer();
  const titles = {
    ".leaflet-control-zoom-in": gettext("Zoom in"),
    ".leaflet-control-zoom-out": gettext("Zoom out"),
  };
  for (const [selector, title] of Object.entries(titles)) {
    const button = container.querySelector(selector);
    if (button) {
      button.title = title;
      button.setAttribute("aria-label", title);
    }
  }
  if (map.attributionControl) {
    const link = document.createElement("a");
    link.href = "https://leafletjs.com";
    link.title = gettext("A JavaScript library for interactive maps");
    link.textContent = "Leaflet";
    map.attributionControl.setPrefix(link.outerHTML);
  }
  // The drawing tools are made after the map (on "map:loadfield"): they read these then.
  if (window.L && L.drawLocal) {
    const { draw, edit } = L.drawLocal;
    Object.assign(draw.toolbar.actions, { title: gettext("Cancel drawing"), text: gettext("Cancel") });
    Object.assign(draw.toolbar.undo, { title: gettext("Delete last point drawn"), text: gettext("Delete last point") });
    Object.assign(draw.toolbar.buttons, {
      polyline: gettext("Draw a polyline"),
      polygon: gettext("Draw a polygon"),
      rectangle: gettext("Draw a rectangle"),
      circle: gettext("Draw a circle"),
      marker: gettext("Draw a marker"),
    });
    draw.handlers.marker.tooltip.start = gettext("Click map to place marker.");
    Object.assign(draw.handlers.polygon.tooltip, {
      start: gettext("Click to start drawing shape."),
      cont: gettext("Click to continue drawing shape."),
      end: gettext("Click first point to close this shape."),
    });
    draw.handlers.polyline.error = gettext("<strong>Error:</strong> shape edges cannot cross!");
    Object.assign(draw.handlers.polyline.tooltip, {
      start: gettext("Click to start drawing line."),
      cont: gettext("Click to continue drawing line."),
      end: gettext("Click last point to finish line."),
    });
    draw.handlers.rectangle.tooltip.start = gettext("Click and drag to draw rectangle.");
    draw.handlers.simpleshape.tooltip.end = gettext("Release mouse to finish drawing.");
    Object.assign(edit.toolbar.actions.save, { title: gettext("Save changes."), text: gettext("Save") });
    Object.assign(edit.toolbar.actions.cancel, {
      title: gettext("Cancel editing, discards all changes."),
      text: gettext("Cancel"),
    });
    Object.assign(edit.toolbar.buttons, {
      edit: gettext("Edit layers"),
      editDisabled: gettext("No layers to edit."),
      remove: gettext("Delete layers"),
      removeDisabled: gettext("No layers to delete."),
    });
    Object.assign(edit.handlers.edit.tooltip, {
      text: gettext("Drag handles, or marker to edit feature."),
      subtext: gettext("Click cancel to undo changes."),
    });
    edit.handlers.remove.tooltip.text = gettext("Click on a feature to remove");
  }
});
