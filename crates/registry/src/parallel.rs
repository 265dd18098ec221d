//! Order-preserving parallel map, for the CPU-bound halves of ingest (serialising and hashing
//! records) and of reading a whole publication (inflating, hashing and parsing records).

use rayon::prelude::*;

/// Applies `f` to every item on rayon's pool, giving each task at least `min_per_thread` items
/// (small inputs gain nothing from splitting), and returns the results in item order, or the
/// error of the first failing item in item order (so errors are reported deterministically).
pub(crate) fn map<T, U, E, F>(items: &[T], min_per_thread: usize, f: F) -> Result<Vec<U>, E>
where
    T: Sync,
    U: Send,
    E: Send,
    F: Fn(&T) -> Result<U, E> + Sync + Send,
{
    let results: Vec<Result<U, E>> = items
        .par_iter()
        .with_min_len(min_per_thread.max(1))
        .map(f)
        .collect();
    results.into_iter().collect()
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
