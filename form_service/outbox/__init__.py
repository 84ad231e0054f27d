"""The outbox: mails queued in the transaction of what they tell, sent after, with retries."""
