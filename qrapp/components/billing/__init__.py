"""The parts of the /billing page: the current plan, usage meters, plan cards and the way
to pay, the existing subscription's actions, invoices and receipts."""
