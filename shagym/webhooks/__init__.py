"""The events feed and the webhooks (issue 11): a reader of the complaints' events, at the notify layer.

After commit each event gets a position in the feed (`feed.append`), taken in publish order under one lock, so the
position order is the commit order and a consumer paging with `after=<position>` never misses or repeats one. In the
same transaction the event is fanned out to the webhook subscriptions of the bodies that held the complaint (one
delivery per event and subscription, a unique key); deliveries go through the task queue, signed per the Standard
Webhooks specification, retried with backoff, each attempt logged."""
