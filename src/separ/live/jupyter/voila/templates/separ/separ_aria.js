/* separ: every choice says whether it is chosen (issue 18, "choices are radio groups or
   buttons with aria-pressed").

   ipywidgets marks a chosen ToggleButton(s) button only with the class "mod-active", which a
   screen reader does not read. This script, on every phone, projector and facilitator page
   (Solara's document gets it from separ.live.document, Voila's from the separ template),
   keeps ARIA in step with the classes as the widgets change them:

   - a ToggleButtons (one of several) is a radio group: role="radiogroup" on the widget,
     named by its description label when it has one (even one hidden visually), and
     role="radio" + aria-checked on each button;
   - a box marked "separ-choices" whose buttons are marked "separ-choice" (plain Buttons a
     view uses as one-of-several choices, see separ.ui.base.choice) is the same, with
     "separ-chosen" as the chosen mark;
   - a lone ToggleButton, or a "separ-choice" button outside such a box (several may be
     chosen), gets aria-pressed;
   - a description label loses the title "null" ipywidgets gives it when there is no tooltip.

   Arrow keys move between the radios of a group and choose, as in a native radio group.
   Kept free of curly-brace-hash and double-brace sequences: the Voila template includes
   this file through Jinja. */
(function () {
  "use strict";
  if (window.separAria) {
    return;
  }
  var seq = 0;
  var GROUPS = ".widget-toggle-buttons, .separ-choices";
  var RADIOS = ".widget-toggle-button, .separ-choice";

  function put(el, name, value) {
    if (el.getAttribute(name) !== value) {
      el.setAttribute(name, value);
    }
  }

  function chosen(button) {
    return button.classList.contains("mod-active") || button.classList.contains("separ-chosen");
  }

  function name(group) {
    var label = group.querySelector(":scope > .widget-label");
    if (label && label.style.display !== "none" && label.textContent.trim()) {
      if (!label.id) {
        seq += 1;
        label.id = "separ-aria-" + seq;
      }
      put(group, "aria-labelledby", label.id);
    } else if (group.hasAttribute("aria-labelledby")) {
      group.removeAttribute("aria-labelledby");
    }
  }

  function apply() {
    // ipywidgets writes a missing tooltip into its labels as the title "null", which a
    // screen reader reads out after the label
    document.querySelectorAll('.widget-label[title="null"]').forEach(function (label) {
      label.removeAttribute("title");
    });
    document.querySelectorAll(GROUPS).forEach(function (group) {
      put(group, "role", "radiogroup");
      name(group);
      group.querySelectorAll(RADIOS).forEach(function (button) {
        put(button, "role", "radio");
        put(button, "aria-checked", chosen(button) ? "true" : "false");
      });
    });
    document.querySelectorAll("button.widget-toggle-button, button.separ-choice").forEach(
      function (button) {
        if (!button.closest(GROUPS)) {
          put(button, "aria-pressed", chosen(button) ? "true" : "false");
        }
      }
    );
  }

  function onKey(event) {
    var keys = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    var step = keys[event.key];
    var here = event.target;
    if (!step || !here.closest || here.getAttribute("role") !== "radio") {
      return;
    }
    var group = here.closest(GROUPS);
    if (!group) {
      return;
    }
    var radios = Array.prototype.filter.call(group.querySelectorAll(RADIOS), function (b) {
      return !b.disabled;
    });
    var at = radios.indexOf(here);
    if (at < 0 || radios.length < 2) {
      return;
    }
    var next = radios[(at + step + radios.length) % radios.length];
    event.preventDefault();
    next.focus();
    next.click();
  }

  window.separAria = apply;
  new MutationObserver(apply).observe(document.documentElement, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["class", "style"],
  });
  document.addEventListener("keydown", onKey);
  apply();
})();
