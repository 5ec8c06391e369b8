// Delivery progress while a bulletin is being sent: polls the officer-only JSON status endpoint and updates
// the <progress> bar, the figures table and (only when something worth hearing changes) the aria-live text.
// Without JavaScript the page shows the same figures and a "Refresh the figures" link.
const section = document.querySelector('[data-bulletin-status]')

if (section) {
  const url = section.getAttribute('data-bulletin-status')
  const bar = section.querySelector('progress')
  const message = section.querySelector('#delivery-message')
  const refresh = section.querySelector('[data-refresh-link]')
  let lastAnnounced = -1
  let lastStatus = null

  const update = (data) => {
    bar.value = data.percent
    bar.textContent = `${data.percent}%`
    for (const cell of section.querySelectorAll('[data-figure]')) {
      const name = cell.getAttribute('data-figure')
      if (name in data) cell.textContent = String(data[name])
    }
    // Announce every 25 per cent and when the state changes, not on every poll.
    const step = Math.floor(data.percent / 25)
    if (step !== lastAnnounced || data.status !== lastStatus) {
      message.textContent = data.message
      lastAnnounced = step
      lastStatus = data.status
    }
    if (data.status === 'sent' && refresh) {
      refresh.querySelector('a').textContent = 'Sending has finished: refresh the page for the full figures'
    }
    return data.status === 'sending'
  }

  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      if (!response.ok) return
      if (update(await response.json())) window.setTimeout(poll, 2000)
    } catch (error) {
      window.setTimeout(poll, 10000)
    }
  }

  window.setTimeout(poll, 1000)
}
