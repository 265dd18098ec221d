//! Order-preserving parallel map, for the CPU-bound halves of ingest (serialising and hashing
//! records) and of reading a whole publication (inflating, hashing and parsing records).

use std::num::NonZeroUsize;

/// Applies `f` to every item on up to as many threads as the machine has cores, giving each
/// thread at least `min_per_thread` items (starting a thread costs tens of microseconds, so
/// small inputs stay on the calling thread), and returns the results in item order, or the
/// error of the first failing item.
pub(crate) fn map<T, U, E, F>(items: &[T], min_per_thread: usize, f: F) -> Result<Vec<U>, E>
where
    T: Sync,
    U: Send,
    E: Send,
    F: Fn(&T) -> Result<U, E> + Sync,
{
    let threads = std::thread::available_parallelism()
        .map(NonZeroUsize::get)
        .unwrap_or(1)
        .min(items.len() / min_per_thread.max(1))
        .max(1);
    if threads <= 1 {
        return items.iter().map(&f).collect();
    }
    let part = items.len().div_ceil(threads);
    let f = &f;
    let parts: Vec<Result<Vec<U>, E>> = std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(part)
            .map(|slice| scope.spawn(move || slice.iter().map(f).collect::<Result<Vec<U>, E>>()))
            .collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(result) => result,
                // A panic in `f` is a bug; carry it to the caller's thread unchanged.
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    });
    let mut out = Vec::with_capacity(items.len());
    for part in parts {
        out.extend(part?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_and_reports_the_first_error() {
        let items: Vec<u32> = (0..10_000).collect();
        let doubled = super::map(&items, 100, |&x| Ok::<_, u32>(x * 2)).unwrap();
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        let err = super::map(
            &items,
            100,
            |&x| if x % 3000 == 2999 { Err(x) } else { Ok(x) },
        );
        assert_eq!(err, Err(2999));
        assert_eq!(
            super::map(&[] as &[u32], 1, |&x| Ok::<_, ()>(x)),
            Ok(vec![])
        );
    }
}
