// A bulletin's page while it is scheduled or being sent: polls the officer-only JSON status endpoint. While
// sending it updates the <progress> bar, the figures table and (only when something worth hearing changes)
// the aria-live text; when the state changes (scheduled -> sending, sending -> sent, or the schedule is
// cancelled) it reloads the page, so its status line says what happened.
// Without JavaScript the page shows the same figures and a "Refresh the figures" link.
const live = document.querySelector('[data-bulletin-live]')

if (live) {
  const url = live.getAttribute('data-bulletin-live')
  const state = live.getAttribute('data-bulletin-state')
  const section = document.querySelector('[data-bulletin-status]')
  const bar = section && section.querySelector('progress')
  const message = section && section.querySelector('#delivery-message')
  let lastAnnounced = -1

  const update = (data) => {
    if (data.status !== state) {
      window.location.reload()
      return false
    }
    if (section) {
      bar.value = data.percent
      bar.textContent = `${data.percent}%`
      for (const cell of section.querySelectorAll('[data-figure]')) {
        const name = cell.getAttribute('data-figure')
        if (name in data) cell.textContent = String(data[name])
      }
      // Announce every 25 per cent, not on every poll.
      const step = Math.floor(data.percent / 25)
      if (step !== lastAnnounced) {
        message.textContent = data.message
        lastAnnounced = step
      }
    }
    return true
  }

  // Every 2 seconds while sending; every 15 while waiting for the scheduled time.
  const interval = state === 'sending' ? 2000 : 15000
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      if (!response.ok) {
        window.setTimeout(poll, 30000)
        return
      }
      if (update(await response.json())) window.setTimeout(poll, interval)
    } catch (error) {
      window.setTimeout(poll, 10000)
    }
  }

  window.setTimeout(poll, state === 'sending' ? 1000 : interval)
}
