/* Content audit report: filtering, search, sorting and paging of findings.
   Plain JavaScript, no libraries. Everything from the crawled site is put into the page
   with textContent and createElement only, never as HTML, and only http(s) URLs become
   links. Without JavaScript the report still shows the first findings and every table. */
(function () {
  "use strict";
  var dataEl = document.getElementById("report-data");
  if (!dataEl) return;
  var D;
  try { D = JSON.parse(dataEl.textContent); } catch (e) { return; }
  var S = D.s, SEV = ["error", "warning", "notice"];
  var LABEL = { error: "Error", warning: "Warning", notice: "Notice" };
  var PER_PAGE = 100;
  var UNASSIGNED = "Unassigned";

  function str(i) { return i < 0 ? "" : S[i]; }
  function safeHref(u) { return /^https?:\/\//i.test(u || "") ? u : null; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function txt(t) { return document.createTextNode(t); }
  function fmt(n) { return n.toLocaleString("en-GB"); }
  function split(ctx, text) {
    if (!ctx || !text) return null;
    var lower = ctx.toLowerCase();
    if (lower.length !== ctx.length) return null;
    var at = lower.indexOf(text.toLowerCase());
    if (at < 0) return null;
    return [ctx.slice(0, at), ctx.slice(at, at + text.length), ctx.slice(at + text.length)];
  }

  var rows = D.f.map(function (r, i) {
    var pg = D.p[r[2]];
    return {
      i: i, sev: r[0], rule: str(r[1]), title: str(pg[0]), url: str(pg[1]), owner: str(pg[2]),
      msg: str(r[3]), text: str(r[4]), ctx: str(r[5]), sugg: str(r[6]), target: str(r[7]),
      status: r[8], first: str(r[9]), accReason: str(r[10]), accExp: str(r[11]),
      acc: r[10] >= 0 || r[11] >= 0, firstIso: str(r[12]), pages: r[13].map(str),
      pageCount: r[14], action: str(r[15]), fp: str(r[16]), onPages: r[17] || 1,
      examples: (r[18] || []).map(str), hay: null
    };
  });
  /* an audited page's address inside a message is shown as its title, linked
     (reports/data.py message_parts: the same expression) */
  var MESSAGE_URL = /https?:\/\/[^\s<>"'\u2019\u201d)]+/g;
  var TITLES = D.t || {};
  function linkedMessage(p, msg) {
    var at = 0, m;
    MESSAGE_URL.lastIndex = 0;
    while ((m = MESSAGE_URL.exec(msg)) !== null) {
      var url = m[0].replace(/[.,;:!?]+$/, "");
      var title = Object.prototype.hasOwnProperty.call(TITLES, url) ? TITLES[url] : "";
      if (!title) continue;
      if (m.index > at) p.appendChild(txt(msg.slice(at, m.index)));
      var h = safeHref(url);
      var a = el(h ? "a" : "span", null, title);
      if (h) a.href = h;
      p.appendChild(a);
      at = m.index + url.length;
    }
    if (at < msg.length) p.appendChild(txt(msg.slice(at)));
    return p;
  }
  function ruleName(id) { return D.rules[id] || id; }
  function hay(r) {
    if (r.hay === null) {
      r.hay = [r.title, r.url, r.owner, r.msg, r.text, r.ctx, r.sugg, r.target, r.rule,
        ruleName(r.rule)].join("\n").toLowerCase();
    }
    return r.hay;
  }

  /* pages as a closed list of links: a site-wide problem's pages, or some of them */
  function urlList(summary, urls, more) {
    var d = el("details", "pages");
    d.appendChild(el("summary", null, summary));
    var ul = el("ul");
    urls.forEach(function (u) {
      var li = el("li");
      var h = safeHref(u);
      var e = h ? el("a", null, u) : txt(u);
      if (h) e.href = h;
      li.appendChild(e);
      ul.appendChild(li);
    });
    if (more) ul.appendChild(el("li", null, more));
    d.appendChild(ul);
    return d;
  }

  function pageList(r) {
    // a template-wide problem: the pages it shows on, as the template lists them
    var rest = r.pageCount - r.pages.length;
    return urlList("Show the " + r.pageCount + " pages it is on", r.pages,
      rest > 0 ? "and " + rest + " more, all listed in findings.json" : "");
  }

  /* a site-wide problem whose finding names only some of its pages (as the template) */
  function exampleList(r) {
    return urlList("Show some of the " + r.onPages + " pages it is on", r.examples,
      "and " + (r.onPages - r.examples.length) + " more");
  }

  /* "Not a problem here?": the lines an owner sends the web team (the same markup as
     _finding.html.j2) */
  function dismiss(r) {
    var d = el("details", "dismiss");
    d.appendChild(el("summary", null, "Not a problem here?"));
    if ((r.rule === "typo" || r.rule === "spelling-american") && r.text) {
      var w = el("p", null, "If the word is right, send this line to your web team for the site dictionary: ");
      w.appendChild(el("code", null, r.text));
      d.appendChild(w);
    }
    d.appendChild(el("p", null, "To accept it until " + D.acceptUntilText + ", send this line to your web " +
      "team for the baseline file, with your reason in place of WHY IT IS RIGHT:"));
    var entry = {fingerprint: r.fp, rule: r.rule, url: r.url, text: r.text || null,
      target: r.target || null, reason: "WHY IT IS RIGHT", expires: D.acceptUntil};
    var pre = el("pre");
    pre.appendChild(el("code", null, JSON.stringify(entry)));
    d.appendChild(pre);
    return d;
  }

  function card(r) {
    var sev = SEV[r.sev];
    var a = el("article", "finding sev-" + sev + (r.acc ? " is-accepted" : ""));
    var head = el("div", "fhead");
    head.appendChild(el("span", "badge sev-" + sev, LABEL[sev]));
    if (r.status === 0) head.appendChild(el("span", "tag new", "New since the last audit"));
    else if (r.status === 1) head.appendChild(el("span", "tag", "Since " + r.first));
    if (r.acc) {
      var t = "Accepted";
      if (r.accExp) t += " until " + r.accExp;
      if (r.accReason) t += ": " + r.accReason;
      head.appendChild(el("span", "tag accepted", t));
    }
    var rl = el("a", "rule", ruleName(r.rule));
    rl.href = "#rule-" + r.rule;
    rl.title = "Why this matters and how to fix it";
    head.appendChild(rl);
    a.appendChild(head);
    var where = el("p", "where");
    where.appendChild(txt("On "));
    var href = safeHref(r.url);
    var link = el(href ? "a" : "span", null, r.title || r.url);
    if (href) link.href = href;
    where.appendChild(link);
    where.appendChild(txt(" "));
    where.appendChild(el("span", "url", r.url));
    if (D.showOwner) { where.appendChild(txt(" ")); where.appendChild(el("span", "owner", r.owner)); }
    a.appendChild(where);
    a.appendChild(linkedMessage(el("p", "msg"), r.msg));
    if (r.pageCount) a.appendChild(pageList(r));
    else if (r.examples.length) a.appendChild(exampleList(r));
    var hl = split(r.ctx, r.text);
    if (hl) {
      var q = el("blockquote", "quote");
      q.appendChild(txt(hl[0])); q.appendChild(el("mark", null, hl[1])); q.appendChild(txt(hl[2]));
      a.appendChild(q);
    } else {
      if (r.ctx) a.appendChild(el("blockquote", "quote", r.ctx));
      if (r.text) { var f = el("p", "found", "Found: "); f.appendChild(el("mark", null, r.text)); a.appendChild(f); }
    }
    if (r.target) {
      var tp = el("p", "target", "Link goes to: ");
      var th = safeHref(r.target);
      var te = el(th ? "a" : "span", "url", r.target);
      if (th) { te.href = th; te.rel = "noopener noreferrer nofollow"; }
      tp.appendChild(te);
      a.appendChild(tp);
    }
    if (r.sugg || r.action) {
      var sp = el("p", "sugg");
      sp.appendChild(el("strong", null, r.sugg ? "Suggested fix:" : "What to do:"));
      sp.appendChild(txt(" " + (r.sugg || r.action)));
      a.appendChild(sp);
    }
    if (r.fp && D.acceptUntil) a.appendChild(dismiss(r));
    return a;
  }

  var $ = function (id) { return document.getElementById(id); };
  var form = $("controls"), list = $("findings-list"), count = $("count");
  var pager = $("pager"), prev = $("prev"), next = $("next"), pageinfo = $("pageinfo");
  if (!form || !list) return;
  var state = { page: 0 };
  var shown = rows;

  /* "Fix these first": errors, then warnings, then notices; within each, problems on many
     pages (a template-wide one) and new ones first, then pages near the top of the site
     (fewer folders in the address: the pages most people reach), then by owner. The
     HTML already holds its first findings in this order (reports/html.py priority_order),
     for readers without this script */
  function depth(url) {
    var path = url.replace(/^[a-z]+:\/\/[^\/]*/i, "").split(/[?#]/)[0];
    return path.split("/").filter(function (p) { return p && p !== "index.html"; }).length;
  }
  function priorityCompare(a, b) {
    return b.onPages - a.onPages || (a.status === 0 ? 0 : 1) - (b.status === 0 ? 0 : 1) ||
      depth(a.url) - depth(b.url) || cmp(a.owner.toLowerCase(), b.owner.toLowerCase());
  }
  function groupKey(r, g) {
    if (g === "priority") return String(r.sev);
    if (g === "owner") return (r.owner === UNASSIGNED ? "\uffff" : "") + r.owner.toLowerCase();
    if (g === "page") return (r.title || r.url).toLowerCase() + "\u0000" + r.url;
    if (g === "rule") return ruleName(r.rule).toLowerCase();
    return "";
  }
  function groupLabel(r, g) {
    if (g === "priority") return ["Errors: fix these first", "Warnings: fix these next", "Notices: when you can"][r.sev] || "Other";
    if (g === "owner") return r.owner;
    if (g === "page") return r.title || r.url;
    if (g === "rule") return ruleName(r.rule);
    return "";
  }
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function sortKeyCompare(a, b, s) {
    if (s === "page") return cmp((a.title || a.url).toLowerCase(), (b.title || b.url).toLowerCase()) || a.sev - b.sev;
    if (s === "rule") return cmp(ruleName(a.rule), ruleName(b.rule)) || a.sev - b.sev;
    if (s === "newest") return (a.status === 0 ? 0 : 1) - (b.status === 0 ? 0 : 1) || cmp(b.firstIso, a.firstIso) || a.sev - b.sev;
    return a.sev - b.sev;
  }

  function apply() {
    var q = $("q").value.trim().toLowerCase();
    var words = q ? q.split(/\s+/) : [];
    var sevs = {};
    Array.prototype.forEach.call(form.querySelectorAll("input[name=sev]"), function (c) {
      if (c.checked) sevs[SEV.indexOf(c.value)] = true;
    });
    var rule = $("f-rule").value;
    var owner = $("f-owner") ? $("f-owner").value : "";
    var onlyNew = $("f-new").checked;
    var g = $("group").value, s = $("sort").value;
    shown = rows.filter(function (r) {
      if (!sevs[r.sev]) return false;
      if (rule && r.rule !== rule) return false;
      if (owner && r.owner !== owner) return false;
      if (onlyNew && r.status !== 0) return false;
      if (words.length) {
        var h = hay(r);
        for (var k = 0; k < words.length; k++) if (h.indexOf(words[k]) < 0) return false;
      }
      return true;
    });
    shown.forEach(function (r) { r.gk = groupKey(r, g); });
    shown.sort(function (a, b) {
      return cmp(a.gk, b.gk) || (g === "priority" && s === "severity" ? priorityCompare(a, b) : 0) ||
        sortKeyCompare(a, b, s) || a.i - b.i;
    });
    state.page = 0;
    render();
  }

  function render() {
    var g = $("group").value;
    var total = shown.length;
    var pages = Math.max(1, Math.ceil(total / PER_PAGE));
    if (state.page >= pages) state.page = pages - 1;
    var start = state.page * PER_PAGE, end = Math.min(total, start + PER_PAGE);
    var groupCounts = {};
    if (g !== "none") shown.forEach(function (r) { groupCounts[r.gk] = (groupCounts[r.gk] || 0) + 1; });
    var frag = document.createDocumentFragment();
    var box = null, last = null;
    for (var k = start; k < end; k++) {
      var r = shown[k];
      if (box === null || (g !== "none" && r.gk !== last)) {
        box = el("div", "group");
        if (g !== "none") {
          var n = groupCounts[r.gk];
          box.appendChild(el("h3", "ghead", groupLabel(r, g) + " (" + fmt(n) + " finding" + (n === 1 ? "" : "s") + ")"));
        }
        frag.appendChild(box);
        last = r.gk;
      }
      box.appendChild(card(r));
    }
    list.textContent = "";
    if (!total) list.appendChild(el("p", "empty", rows.length ? "No findings match these filters." : "No problems found. Well done."));
    list.appendChild(frag);
    if (!rows.length) count.textContent = "";
    else if (total === rows.length && total <= PER_PAGE) count.textContent = fmt(total) + " finding" + (total === 1 ? "" : "s") + ".";
    else count.textContent = total ? "Showing " + fmt(start + 1) + "\u2013" + fmt(end) + " of " + fmt(total) + " matching findings" + (total === rows.length ? "." : " (" + fmt(rows.length) + " in all).") : "0 of " + fmt(rows.length) + " findings match.";
    pager.hidden = total <= PER_PAGE;
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    pageinfo.textContent = "Page " + (state.page + 1) + " of " + pages;
  }

  var timer = null;
  $("q").addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  prev.addEventListener("click", function () { if (state.page > 0) { state.page--; render(); list.scrollIntoView(); } });
  next.addEventListener("click", function () { state.page++; render(); list.scrollIntoView(); });
  form.hidden = false;
  apply();

  /* "show these findings" links in the rules and owners tables set the filters */
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[data-rule], a[data-owner]") : null;
    if (!a) return;
    e.preventDefault();
    Array.prototype.forEach.call(form.querySelectorAll("input[name=sev]"), function (c) { c.checked = true; });
    $("f-new").checked = false;
    $("q").value = "";
    $("f-rule").value = a.getAttribute("data-rule") || "";
    if ($("f-owner")) $("f-owner").value = a.getAttribute("data-owner") || "";
    apply();
    $("findings").scrollIntoView();
  });

  /* sortable tables: click a column heading to sort by it */
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var ths = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(ths, function (th, col) {
      var b = el("button");
      b.type = "button";
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener("click", function () {
        var body = table.tBodies[0];
        var trs = Array.prototype.slice.call(body.rows);
        var asc = th.getAttribute("aria-sort") !== "ascending";
        var vals = trs.map(function (tr) {
          var c = tr.cells[col];
          var v = c ? (c.hasAttribute("data-sort") ? c.getAttribute("data-sort") : c.textContent.trim()) : "";
          var num = parseFloat(v.replace(/,/g, ""));
          return { tr: tr, v: v.toLowerCase(), n: isNaN(num) ? null : num };
        });
        var numeric = vals.every(function (x) { return x.n !== null || x.v === "" || x.v === "\u2013"; });
        vals.sort(function (x, y) {
          var r = numeric ? (x.n === null ? -1e9 : x.n) - (y.n === null ? -1e9 : y.n) : cmp(x.v, y.v);
          return asc ? r : -r;
        });
        Array.prototype.forEach.call(ths, function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var f = document.createDocumentFragment();
        vals.forEach(function (x) { f.appendChild(x.tr); });
        body.appendChild(f);
      });
    });
  });
})();
