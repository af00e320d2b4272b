mod common;
use common::*;

#[test]
#[ignore]
fn explore() {
    let p = std::env::var("GK_FILE").unwrap();
    let d = convert(std::path::Path::new(&p));
    if std::env::var("GK_CAPTIONS").is_ok() {
        let doc = gongkai_extract::open_path(
            std::path::Path::new(&p),
            &gongkai_extract::Options::default(),
        )
        .unwrap();
        let layout = gongkai_tables::find_tables(&doc, &gongkai_tables::Settings::default());
        for t in &layout.tables {
            println!(
                "TITLE {:?} CAPTION {:?} NOTES {:?}",
                t.title, t.caption, t.notes
            );
        }
    }
    println!("{:?}", d.document);
    print!("{}", summary(&d));
    for c in d.checks.iter().filter(|c| !c.ok) {
        println!("FAIL {c:?}");
    }
    if let Ok(t) = std::env::var("GK_TABLE") {
        let t: usize = t.parse().unwrap();
        let tb = &d.tables[t];
        for h in &tb.header {
            println!("H {:?}", h);
        }
        for (r, row) in tb.rows.iter().enumerate() {
            println!("R{r} {:?}", row);
        }
        for r in &tb.records {
            println!("{:?}", r);
        }
    }
    println!("perf sheets: {}", d.performance.len());
    for s in &d.performance {
        println!(
            "{:?} {:?} inds={} pages={:?}",
            s.kind,
            s.project,
            s.indicators.len(),
            s.pages
        );
    }
    println!("sections: {}", d.sections.len());
    for s in d.sections.iter().take(40) {
        println!("  {} ({} chars)", s.heading, s.text.chars().count());
    }
}
