() => {
  // Citations: hover (or first tap on a touch screen) previews the supporting sentence and its report;
  // a click opens that source card in the evidence panel, a sheet on phones and on the comparison and
  // plan pages. Nothing here scrolls the page itself.
  const hoverable = window.matchMedia('(hover: hover)').matches;
  const phone = () => window.matchMedia('(max-width: 768px)').matches;
  const pop = document.createElement('div');
  pop.id = 'cite-pop';
  pop.setAttribute('role', 'tooltip');
  document.body.appendChild(pop);
  let popFor = null;

  const cardFor = (link) => document.getElementById(link.getAttribute('href').slice(1));
  const sheetOf = (el) => el && el.closest('.ev-sheet, .ev-sheet-always');
  const isSheet = (sheet) => sheet && (sheet.classList.contains('ev-sheet-always') || phone());

  function showPop(link) {
    const card = cardFor(link);
    if (!card) return;
    pop.textContent = '';
    const head = document.createElement('div');
    head.className = 'pop-head';
    head.textContent = card.dataset.label || '';
    const body = document.createElement('div');
    const mark = card.querySelector('mark');
    const m = document.createElement('mark');
    m.textContent = mark ? mark.textContent : card.querySelector('.ev-text').textContent.slice(0, 160);
    body.appendChild(m);
    pop.append(head, body);
    if (!hoverable) {
      const more = document.createElement('button');
      more.type = 'button';
      more.textContent = '查看原文';
      more.addEventListener('click', (e) => { e.stopPropagation(); hidePop(); openCard(card); });
      pop.appendChild(more);
    }
    pop.classList.add('shown');
    const r = link.getBoundingClientRect();
    const w = pop.offsetWidth, h = pop.offsetHeight;
    let left = Math.min(Math.max(8, r.left), window.innerWidth - w - 8);
    let top = r.bottom + 6;
    if (top + h > window.innerHeight - 8) top = Math.max(8, r.top - h - 6);
    pop.style.left = left + 'px';
    pop.style.top = top + 'px';
    popFor = link;
  }
  function hidePop() { pop.classList.remove('shown'); popFor = null; }

  function openCard(card) {
    const turn = card.closest('.ev-turn');
    const panel = card.closest('.ev-panel');
    if (panel) panel.querySelectorAll('.ev-turn').forEach((t) => t.classList.toggle('shown', t === turn));
    document.querySelectorAll('.ev-card.active').forEach((c) => c.classList.remove('active'));
    card.classList.add('active');
    const sheet = sheetOf(card);
    if (isSheet(sheet)) sheet.classList.add('open');
    // scroll only the panel (or sheet) that holds the card, never the page
    const scroller = isSheet(sheet) ? sheet : panel;
    if (scroller) {
      // the first card of an answer is shown with the question above it, never with that line cut in
      // half under the sheet's bar; a later card stands just below the bar
      const anchor = turn && turn.querySelector('.ev-card') === card ? turn : card;
      const top = anchor.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
      const head = isSheet(sheet) ? sheet.querySelector('.sheet-head') : null;
      scroller.scrollTop = Math.max(0, top - (head ? head.offsetHeight : 0) - 16);
    }
  }

  document.addEventListener('click', (event) => {
    const link = event.target.closest('a[href^="#ev-"]');
    if (link) {
      event.preventDefault();
      event.stopPropagation();
      const card = cardFor(link);
      if (!card) return;
      if (!hoverable && popFor !== link) { showPop(link); return; }
      hidePop();
      openCard(card);
      return;
    }
    if (!event.target.closest('#cite-pop')) hidePop();
    const close = event.target.closest('button.sheet-close');
    if (close) { const s = sheetOf(close); if (s) s.classList.remove('open'); return; }
    const open = event.target.closest('button.sheet-open');
    if (open) { const s = document.getElementById(open.dataset.sheet); if (s) s.classList.add('open'); }
  }, true);
  if (hoverable) {
    document.addEventListener('mouseover', (e) => {
      const link = e.target.closest && e.target.closest('a[href^="#ev-"]');
      if (link && link !== popFor) showPop(link);
    });
    document.addEventListener('mouseout', (e) => {
      const link = e.target.closest && e.target.closest('a[href^="#ev-"]');
      if (link && !(e.relatedTarget && link.contains(e.relatedTarget))) hidePop();
    });
  }
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    hidePop();
    document.querySelectorAll('.ev-sheet.open, .ev-sheet-always.open').forEach((s) => s.classList.remove('open'));
  });

  // Keep derived page state in step with what the server renders: comparison cells learn their
  // report's name (shown on phones, where each area becomes a card), the phone's evidence button
  // appears once there is evidence, a finished download link clicks itself when asked to.
  // Gradio's own tooltips and screen-reader labels that its translations do not cover.
  const WORDS = [[/^Copy message$/, '复制'], [/^Copied message$/, '已复制'], [/^Copy$/, '复制'], [/^More tabs$/, '更多标签页'],
    [/^chatbot conversation$/, '问答对话'], [/^Click to upload or drop files$/, '点击上传或拖入文件'], [/^File upload$/, '上传文件'],
    [/^user's message: ([\s\S]*)$/, '提问：$1'], [/^bot's message: [\s\S]*$/, '回答'], [/^Clear$/, '清空'], [/^Remove$/, '移除'],
    [/^Download$/, '下载'], [/^Fullscreen$/, '全屏'], [/^Like$/, '赞'], [/^Dislike$/, '踩'], [/^Scroll down$/, '滚动到底部']];
  const translate = (el, attr) => {
    const v = el.getAttribute(attr);
    if (!v || !/[A-Za-z]/.test(v)) return;
    for (const [re, zh] of WORDS) if (re.test(v)) { el.setAttribute(attr, v.replace(re, zh)); return; }
  };
  const settle = () => {
    document.querySelectorAll('[title], [aria-label]').forEach((el) => { translate(el, 'title'); translate(el, 'aria-label'); });
    document.querySelectorAll('table.matrix:not([data-labelled])').forEach((table) => {
      const heads = [...table.rows[0].cells].map((c) => c.textContent.trim());
      [...table.rows].slice(1).forEach((row) => [...row.cells].forEach((cell, i) => {
        if (cell.tagName === 'TD') cell.dataset.label = heads[i] || '';
      }));
      table.dataset.labelled = '1';
    });
    document.querySelectorAll('button.sheet-open').forEach((b) => {
      const s = document.getElementById(b.dataset.sheet);
      b.classList.toggle('has-evidence', !!(s && s.querySelector('.ev-card')));
    });
    document.querySelectorAll('a.dl[data-autoclick]').forEach((a) => { a.removeAttribute('data-autoclick'); a.click(); });
    // A result or error line that appears out of view (测试连接 under the form) is brought into view,
    // wholly and with room around it: centred, at once (a smooth scroll is cut short when the page
    // re-renders). For a moment after it appears it is kept there while the page above it still grows
    // (the settings' status table arriving after the click); a line not laid out yet waits for the next change.
    const now = Date.now();
    let watching = false;
    document.querySelectorAll('.notice.ok, .notice.error, .notice.warn').forEach((n) => {
      if (!n.dataset.seen) n.dataset.seen = String(now);
      if (now - Number(n.dataset.seen) > KEEP_IN_VIEW_MS) return;
      watching = true;
      const r = n.getBoundingClientRect();
      if (r.height && (r.bottom > window.innerHeight - 8 || r.top < 0)) n.scrollIntoView({block: 'center', behavior: 'instant'});
    });
    if (watching) setTimeout(soon, 150);  // looked at again until it has stood still in view for a moment
  };
  // A file larger than the import limit is stopped before it is sent (the server would refuse it, and
  // Gradio would say so in English in an overlay): one Chinese line under the upload area instead.
  const tooLarge = (files) => {
    const limit = document.getElementById('upload-limit');
    if (!limit || !files) return [];
    return [...files].filter((f) => f.size > Number(limit.dataset.bytes));
  };
  const sayTooLarge = (files) => {
    const limit = document.getElementById('upload-limit');
    limit.textContent = '';
    if (!files.length) { limit.classList.remove('filled', 'notice', 'error'); return; }
    const mb = (f) => (f.size / 1048576).toFixed(1);
    limit.textContent = files.map((f) => `${f.name}：文件过大（${mb(f)} MB），超过上限 ${limit.dataset.mb} MB，未上传`).join('；');
    limit.classList.add('filled', 'notice', 'error');
    limit.setAttribute('role', 'alert');
  };
  // The others of the same choice are uploaded as usual.
  const only = (files, big) => { const dt = new DataTransfer(); [...files].filter((f) => !big.includes(f)).forEach((f) => dt.items.add(f)); return dt.files; };
  document.addEventListener('change', (e) => {
    const input = e.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file' || !input.closest('#upload')) return;
    const big = tooLarge(input.files);
    sayTooLarge(big);
    if (!big.length) return;
    const rest = only(input.files, big);
    if (rest.length) { input.files = rest; return; }  // Gradio's own handler goes on with the rest
    e.stopImmediatePropagation();
    input.value = '';
  }, true);
  document.addEventListener('drop', (e) => {
    if (!e.target.closest || !e.target.closest('#upload')) return;
    const files = e.dataTransfer && e.dataTransfer.files;
    const big = tooLarge(files);
    sayTooLarge(big);
    if (!big.length) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    const rest = only(files, big);
    const input = document.querySelector('#upload input[type=file]');
    if (rest.length && input) { input.files = rest; input.dispatchEvent(new Event('change', {bubbles: true})); }
  }, true);

  const KEEP_IN_VIEW_MS = 2000;
  let pending = false;
  const soon = () => { if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; settle(); }); } };
  new MutationObserver(soon).observe(document.body, {childList: true, subtree: true, attributes: true,
                                                      attributeFilter: ['title', 'aria-label']});
  settle();
}
