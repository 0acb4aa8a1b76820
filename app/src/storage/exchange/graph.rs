//! Finding a cycle among links from one id to another (a unit's parent, an
//! objective's alignments), without recursion: a document may hold long chains.

use std::collections::HashMap;

/// The first cycle found among `links` (from → to), as the ids along it with the
/// first repeated at the end, or None.
pub fn find_cycle(links: &[(i64, i64)]) -> Option<Vec<i64>> {
    let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
    for &(from, to) in links {
        out.entry(from).or_default().push(to);
    }
    // 1: on the path being walked; 2: walked, no cycle through it.
    let mut state: HashMap<i64, u8> = HashMap::new();
    let mut starts: Vec<i64> = out.keys().copied().collect();
    starts.sort_unstable();
    for start in starts {
        if state.contains_key(&start) {
            continue;
        }
        // The path, each with how many of its links were followed.
        let mut path: Vec<(i64, usize)> = vec![(start, 0)];
        state.insert(start, 1);
        while let Some((node, next)) = path.last_mut() {
            let targets = out.get(node).map(Vec::as_slice).unwrap_or(&[]);
            if let Some(&target) = targets.get(*next) {
                *next += 1;
                match state.get(&target) {
                    Some(1) => {
                        let from = path.iter().position(|(n, _)| *n == target).unwrap_or(0);
                        let mut cycle: Vec<i64> = path[from..].iter().map(|(n, _)| *n).collect();
                        cycle.push(target);
                        return Some(cycle);
                    }
                    Some(_) => {}
                    None => {
                        state.insert(target, 1);
                        path.push((target, 0));
                    }
                }
            } else {
                state.insert(*node, 2);
                path.pop();
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::find_cycle;

    #[test]
    fn chains_and_trees_have_no_cycle() {
        assert_eq!(find_cycle(&[]), None);
        assert_eq!(find_cycle(&[(3, 2), (2, 1), (4, 2), (5, 1)]), None);
        let chain: Vec<(i64, i64)> = (1..100_000).map(|i| (i + 1, i)).collect();
        assert_eq!(find_cycle(&chain), None);
    }

    #[test]
    fn a_cycle_is_named_along_its_links() {
        assert_eq!(find_cycle(&[(1, 1)]), Some(vec![1, 1]));
        assert_eq!(
            find_cycle(&[(9, 1), (1, 2), (2, 3), (3, 1)]),
            Some(vec![1, 2, 3, 1])
        );
        // An objective aligned to two parents, one of which leads back.
        assert_eq!(
            find_cycle(&[(10, 20), (10, 30), (30, 10)]),
            Some(vec![10, 30, 10])
        );
    }
}
