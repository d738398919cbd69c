// Makes the services that have a page clickable and says where the page was served from.
for (const item of document.querySelectorAll('#services li[data-href]')) {
  item.classList.add('link');
  item.addEventListener('click', () => {
    window.location.href = item.dataset.href;
  });
}
document.getElementById('served-at').textContent = `${window.location.origin}${window.location.pathname}`;
