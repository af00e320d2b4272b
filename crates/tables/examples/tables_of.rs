//! Print the tables of a file as text (a debugging aid: `cargo run -p
//! gongkai-tables --example tables_of FILE`).
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: tables_of FILE");
        std::process::exit(2);
    };
    let doc = match gongkai_extract::open_path(std::path::Path::new(&path), &Default::default()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let layout = gongkai_tables::find_tables(&doc, &gongkai_tables::Settings::default());
    for (i, t) in layout.tables.iter().enumerate() {
        println!("=== table {i}");
        print!("{}", t.to_text());
    }
}
