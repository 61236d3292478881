/**
 * Gathers the calls made in one turn of the event loop (a case removing its accounts, the end of a run
 * removing what is left) into batches of at most `max` for `send`, one request for many items. A batch
 * that fails is sent again item by item: a server may refuse a whole batch for one of its items (ejabberd's
 * delete-user, for a JID that does not exist), and each caller gets the answer its own item gets.
 */
export function batched<T>(send: (items: T[]) => Promise<void>, max: number): (item: T) => Promise<void> {
  let queue: { item: T; settle: (outcome: Promise<void>) => void }[] = [];
  const flush = () => {
    const all = queue;
    queue = [];
    for (let i = 0; i < all.length; i += max) {
      const batch = all.slice(i, i + max);
      const sent = send(batch.map((b) => b.item));
      if (batch.length === 1) batch[0].settle(sent);
      else
        sent.then(
          () => batch.forEach((b) => b.settle(Promise.resolve())),
          () => batch.forEach((b) => b.settle(send([b.item]))),
        );
    }
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ item, settle: (outcome) => outcome.then(resolve, reject) });
    });
}
