//! Linked parties as a small graph: the entity in the middle, each linked party around it on an
//! ellipse, the relation written on the edge. Inline SVG rendered on the server, so it needs no
//! script and its nodes are ordinary links; the page lists the same links as text for screen
//! readers and for parties beyond what the drawing holds.

use maud::{html, Markup};

/// A linked party to draw.
pub(crate) struct Node {
    /// Its name.
    pub label: String,
    /// How it is linked (`Linked To`, `leader`, `member of`).
    pub relation: String,
    /// Its page, when it is in the registry.
    pub href: Option<String>,
}

/// Parties drawn; more are only listed.
const MAX_NODES: usize = 12;

const WIDTH: f64 = 760.0;

/// Characters of a label shown in a node.
const LABEL_CHARS: usize = 30;

fn cut(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(n.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The width of a node holding `label` (about 7 px a character at the stylesheet's size).
fn node_width(label: &str) -> f64 {
    (label.chars().count() as f64 * 7.0 + 20.0).max(60.0)
}

/// The graph of `center` and its linked parties; nothing when there are none.
pub(crate) fn graph(center: &str, nodes: &[Node]) -> Markup {
    if nodes.is_empty() {
        return html! {};
    }
    let drawn = &nodes[..nodes.len().min(MAX_NODES)];
    let height = match drawn.len() {
        0..=4 => 240.0,
        5..=6 => 300.0,
        _ => 400.0,
    };
    let (cx, cy) = (WIDTH / 2.0, height / 2.0);
    let (rx, ry) = (WIDTH / 2.0 - 120.0, height / 2.0 - 36.0);
    let n = drawn.len();
    let positions: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            // One party sits to the right; more are spread around, starting at the top.
            let angle = if n == 1 {
                0.0
            } else {
                -std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * i as f64 / n as f64
            };
            (cx + rx * angle.cos(), cy + ry * angle.sin())
        })
        .collect();
    // The drawing is cropped to the nodes: three parties sit on the upper part of the ellipse.
    let top = positions.iter().map(|p| p.1).fold(cy, f64::min) - 30.0;
    let bottom = positions.iter().map(|p| p.1).fold(cy, f64::max) + 30.0;
    let center_label = cut(center, LABEL_CHARS);
    let center_w = node_width(&center_label);
    html! {
        figure.graph {
            svg viewBox=(format!("0 {top:.1} {WIDTH} {:.1}", bottom - top)) role="img" aria-labelledby="graph-title" xmlns="http://www.w3.org/2000/svg" {
                title #graph-title { (center) " and " (nodes.len()) " linked part" @if nodes.len() == 1 { "y" } @else { "ies" } }
                g.edges {
                    @for (node, (x, y)) in drawn.iter().zip(&positions) {
                        line x1=(format!("{cx:.1}")) y1=(format!("{cy:.1}")) x2=(format!("{x:.1}")) y2=(format!("{y:.1}")) {}
                        text.relation x=(format!("{:.1}", (cx + x) / 2.0)) y=(format!("{:.1}", (cy + y) / 2.0 - 4.0)) text-anchor="middle" {
                            (cut(&node.relation, 24))
                        }
                    }
                }
                g.node.center {
                    rect x=(format!("{:.1}", cx - center_w / 2.0)) y=(format!("{:.1}", cy - 16.0)) width=(format!("{center_w:.1}")) height="32" rx="6" {}
                    text x=(format!("{cx:.1}")) y=(format!("{:.1}", cy + 5.0)) text-anchor="middle" { (center_label) }
                }
                @for (node, (x, y)) in drawn.iter().zip(&positions) {
                    @let label = cut(&node.label, LABEL_CHARS);
                    @let w = node_width(&label);
                    @let shape = html! {
                        rect x=(format!("{:.1}", x - w / 2.0)) y=(format!("{:.1}", y - 14.0)) width=(format!("{w:.1}")) height="28" rx="14" {}
                        text x=(format!("{x:.1}")) y=(format!("{:.1}", y + 5.0)) text-anchor="middle" { (label) }
                    };
                    @match &node.href {
                        Some(href) => { a.node href=(href) { title { (node.label) } (shape) } }
                        None => { g.node.unresolved { title { (node.label) " (not in the registry)" } (shape) } }
                    }
                }
            }
            @if nodes.len() > drawn.len() {
                figcaption { (nodes.len() - drawn.len()) " more linked parties are listed below." }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_every_node_up_to_the_cap_and_escapes_labels() {
        let nodes: Vec<Node> = (0..15)
            .map(|i| Node {
                label: format!("<Party {i}>"),
                relation: "Linked To".into(),
                href: (i % 2 == 0).then(|| format!("/entities/ofac-sdn/{i}")),
            })
            .collect();
        let svg = graph("Center & Co", &nodes).into_string();
        assert_eq!(svg.matches("<line").count(), MAX_NODES);
        assert!(svg.contains("&lt;Party 0&gt;"));
        assert!(svg.contains("Center &amp; Co"));
        assert!(svg.contains("3 more linked parties"));
        assert!(graph("x", &[]).into_string().is_empty());
    }
}
