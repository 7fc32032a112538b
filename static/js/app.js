// Factcheck Workbench: small behaviours hooked to data- attributes. No inline scripts.
(function () {
  "use strict";

  // --- Messages from htmx responses (sent as an HX-Trigger "messages" event) -------------
  document.body.addEventListener("messages", function (event) {
    var region = document.getElementById("messages");
    if (!region) return;
    region.textContent = "";
    (event.detail.value || []).forEach(function (message) {
      var p = document.createElement("p");
      p.className = "message message-" + message.tags;
      p.textContent = message.text;
      region.appendChild(p);
    });
  });

  // After a swap, put focus somewhere sensible: the first error if there is one, else the
  // swapped region itself, so screen-reader and keyboard users stay oriented.
  document.body.addEventListener("htmx:afterSwap", function (event) {
    // Polled regions (data-poll) refresh by themselves, and sections that load themselves
    // once the page is up (hx-trigger "load" or "revealed") arrive unasked: moving focus
    // there would pull keyboard users out of whatever they are reading or typing.
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.hasAttribute("data-poll")) return;
    if (source && /^\s*(load|revealed)\b/.test(source.getAttribute("hx-trigger") || "")) return;
    var target = event.detail.target;
    var root = target && target.isConnected ? target : document.getElementById(target && target.id);
    if (!root) return;
    // Leave focus alone while it is still on the page outside the swapped part: a filter
    // being changed, or a panel refreshed because of a change made elsewhere.
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected && !root.contains(active)) return;
    var error = root.querySelector(".error-summary, .has-error input, .has-error textarea");
    var focusable = error || root;
    if (!focusable.hasAttribute("tabindex") && !/^(INPUT|TEXTAREA|SELECT)$/.test(focusable.tagName)) {
      focusable.setAttribute("tabindex", "-1");
    }
    // A whole region taking focus gets a faint ring (app.css), not the thick one of controls.
    if (!error) focusable.setAttribute("data-swap-focus", "");
    focusable.focus({ preventScroll: !error });
  });

  // --- Claim list filters on a phone ---------------------------------------------------------
  // The stylesheet folds all but the search and the status behind this button under 40rem; it
  // stays hidden without JavaScript, so every filter shows then. Delegated, so the button still
  // works after htmx restores the page from its history.
  document.querySelectorAll("[data-filters-toggle]").forEach(function (button) {
    button.hidden = false;
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-filters-toggle]");
    if (!button) return;
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
  });

  // --- Header menu on narrow screens --------------------------------------------------------
  // The button stays hidden without JavaScript, and so the navigation stays shown. With it, the
  // stylesheet folds the navigation away on a phone until the button opens it; Escape closes it
  // and gives the focus back to the button.
  var menuButton = document.querySelector("[data-menu-toggle]");
  function setMenu(open) {
    menuButton.setAttribute("aria-expanded", open ? "true" : "false");
  }
  if (menuButton) {
    menuButton.hidden = false;
    menuButton.addEventListener("click", function () {
      setMenu(menuButton.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || menuButton.getAttribute("aria-expanded") !== "true") return;
      var menu = document.getElementById(menuButton.getAttribute("aria-controls"));
      var inside = menu && menu.contains(document.activeElement);
      setMenu(false);
      if (inside || document.activeElement === menuButton) menuButton.focus();
    });
  }

  // --- Copy buttons ------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) return;
    navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  // --- Reader: highlights linked to claim cards ------------------------------------------
  function setActive(ids, active) {
    ids.forEach(function (id) {
      var card = document.getElementById("claim-card-" + id);
      if (card) card.classList.toggle("is-active", active);
      document.querySelectorAll('.hl[data-claims~="' + id + '"]').forEach(function (mark) {
        mark.classList.toggle("is-active", active);
      });
    });
  }
  function claimIds(element) {
    var mark = element.closest && element.closest(".hl[data-claims]");
    if (mark) return mark.getAttribute("data-claims").split(" ");
    var card = element.closest && element.closest("[data-claim]");
    return card ? [card.getAttribute("data-claim")] : [];
  }
  ["mouseover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) { setActive(claimIds(event.target), true); });
  });
  ["mouseout", "focusout"].forEach(function (type) {
    document.addEventListener(type, function (event) { setActive(claimIds(event.target), false); });
  });
  document.addEventListener("click", function (event) {
    var mark = event.target.closest(".hl[data-claims]");
    if (!mark || String(window.getSelection()).length) return;
    var card = document.getElementById("claim-card-" + mark.getAttribute("data-claims").split(" ")[0]);
    if (card) card.scrollIntoView({ block: "nearest", behavior: "smooth" });
  });

  // --- Reader: choose words, press "Mark as claim" -----------------------------------------
  // Offsets are counted in Unicode code points, as Python indexes strings; JavaScript counts
  // UTF-16 units, so text before the boundary is converted with Array.from.
  function codePoints(text) { return Array.from(text).length; }

  function boundaryOffset(container, node, offset) {
    if (node.nodeType === Node.TEXT_NODE) {
      var segment = node.parentElement.closest("[data-start]");
      if (!segment || !container.contains(segment)) return null;
      return Number(segment.getAttribute("data-start")) + codePoints(node.data.slice(0, offset));
    }
    // An element boundary: the position before its offset-th child.
    var child = node.childNodes[offset];
    if (child) {
      var start = child.nodeType === Node.ELEMENT_NODE && child.closest("[data-start]");
      if (start) return Number(start.getAttribute("data-start"));
      return boundaryOffset(container, child, 0);
    }
    var last = node.lastChild || node;
    var lastSegment = last.nodeType === Node.ELEMENT_NODE ? last.closest("[data-start]") : null;
    if (lastSegment) return Number(lastSegment.getAttribute("data-start")) + codePoints(lastSegment.textContent);
    return null;
  }

  function currentSpan() {
    var selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    var container = range.commonAncestorContainer;
    var text = (container.nodeType === Node.ELEMENT_NODE ? container : container.parentElement).closest("[data-source-text]");
    if (!text) return null;
    var start = boundaryOffset(text, range.startContainer, range.startOffset);
    var end = boundaryOffset(text, range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return null;
    return { start: start, end: end, quote: String(selection), rect: range.getBoundingClientRect() };
  }

  var popover = null;
  function hidePopover() { if (popover) { popover.remove(); popover = null; } }

  function markSelection() {
    var span = currentSpan();
    var form = document.querySelector("[data-mark-form]");
    if (!span || !form) return;
    form.querySelector("[name=start]").value = span.start;
    form.querySelector("[name=end]").value = span.end;
    form.querySelector("[name=quote]").value = span.quote;
    hidePopover();
    window.getSelection().removeAllRanges();
    form.requestSubmit();
  }

  document.addEventListener("selectionchange", function () {
    var span = currentSpan();
    if (!span || !document.querySelector("[data-mark-form]")) { hidePopover(); return; }
    if (!popover) {
      popover = document.createElement("button");
      popover.type = "button";
      popover.className = "button primary small mark-popover";
      popover.textContent = "Mark as claim";
      popover.setAttribute("aria-keyshortcuts", "m");
      popover.addEventListener("mousedown", function (event) { event.preventDefault(); });
      popover.addEventListener("click", markSelection);
      document.body.appendChild(popover);
    }
    popover.style.left = window.scrollX + span.rect.left + "px";
    popover.style.top = window.scrollY + span.rect.bottom + 6 + "px";
  });

  // --- Reader: keyboard review of suggestions ----------------------------------------------
  // n / p move between suggestions, y accepts, x dismisses, m marks the selected words.
  var SUGGESTION = ".claim-card.is-suggestion";
  var focusAfterSwap = null;

  function suggestionCards() { return Array.from(document.querySelectorAll(SUGGESTION)); }

  function focusCard(card) {
    if (!card) return;
    card.setAttribute("tabindex", "-1");
    card.focus();
    card.scrollIntoView({ block: "nearest" });
  }

  function moveSuggestion(step) {
    var cards = suggestionCards();
    if (!cards.length) return;
    var current = cards.indexOf(document.activeElement.closest && document.activeElement.closest(SUGGESTION));
    var next = current === -1 ? (step > 0 ? 0 : cards.length - 1) : Math.min(cards.length - 1, Math.max(0, current + step));
    focusCard(cards[next]);
  }

  function decide(transition) {
    var card = document.activeElement.closest && document.activeElement.closest(SUGGESTION);
    if (!card) return;
    var form = card.querySelector('input[name=transition][value="' + transition + '"]');
    if (!form) return;
    focusAfterSwap = suggestionCards().indexOf(card);
    form.form.requestSubmit();
  }

  document.body.addEventListener("htmx:afterSettle", function () {
    if (focusAfterSwap === null) return;
    var cards = suggestionCards();
    focusCard(cards[Math.min(focusAfterSwap, cards.length - 1)]);
    focusAfterSwap = null;
  });

  document.addEventListener("keydown", function (event) {
    if (event.target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
    if (!document.querySelector("[data-source-text]")) return;
    var actions = {
      m: function () { if (popover) markSelection(); },
      n: function () { moveSuggestion(1); },
      p: function () { moveSuggestion(-1); },
      y: function () { decide("accept"); },
      x: function () { decide("dismiss_suggestion"); },
    };
    if (actions[event.key]) { event.preventDefault(); actions[event.key](); }
  });
})();
