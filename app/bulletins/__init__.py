"""CTN bulletins: compose, preview, test, schedule and send the fortnightly bulletin and emergency messages.

The fortnightly CTN Bulletin is the network's main channel (002_6240a75a79bed02c.txt:119, 160-161); the same
list carries emergency messages from the Borough Resilience Forum (002_6240a75a79bed02c.txt:173).

- `models.py`: bulletins, their items (events, consultations, funding, news, other), one delivery record per
  recipient;
- `content.py`: Markdown -> sanitised HTML (markdown + nh3) and plain text;
- `message.py`: builds each recipient's multipart message (RFC 8058 one-click unsubscribe headers);
- `sender.py`: the exactly-once-as-far-as-SMTP-allows delivery loop (claims with leases, retries, rate
  limit, emergency first) - read its docstring for the one duplicate window;
- `services.py`: everything else that needs no request (segments, scheduling, figures, GDPR);
- `tasks.py`: the huey tasks (routine and priority emergency sends, the every-minute `send_due` check);
- `cli.py`: `flask bulletins send ID` and `flask bulletins send-due`.
"""
