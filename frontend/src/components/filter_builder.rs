//! The filter editor: groups of Column · Function · Value rows joined by AND or OR, nested
//! as deep as the API allows, with **Apply**, **Clear** and Cancel. It only wires inputs to
//! the `FilterDraft` in `draft`; the rules live there.

use cohort_core::filter::{FunctionKey, TimeUnit};
use cohort_core::limits::MAX_FILTER_DEPTH;
use leptos::ev;
use leptos::prelude::*;

use crate::components::tag_input::TagInput;
use crate::display::{KNOWN_CHANNELS, channel_name};
use crate::filter_draft::{
    Catalogue, ColumnGroup, Combinator, FilterDraft, Node, NodeId, RowError, ValueKind,
};

/// Past this many attribute keys, each row gets a box to find a column by name.
const SEARCHABLE_AFTER: usize = 12;

/// What every part of the editor reads and writes.
#[derive(Clone, Copy)]
struct Editor {
    draft: RwSignal<FilterDraft>,
    errors: RwSignal<Vec<RowError>>,
    catalogue: Signal<Catalogue>,
    tags: Signal<Vec<String>>,
}

impl Editor {
    fn row_error(self, row: NodeId) -> Option<String> {
        self.errors.with(|errors| {
            errors
                .iter()
                .find(|error| error.row == Some(row))
                .map(|error| error.message.clone())
        })
    }

    /// Any edit clears the marks: they described the filter before it.
    fn edit(self, change: impl FnOnce(&mut FilterDraft)) {
        self.draft.update(change);
        self.errors.update(Vec::clear);
    }
}

/// The editor panel (a labelled region; Escape cancels). `draft` holds the rows, `errors`
/// the marks of the last check; `catalogue` and `tags` fill the menus.
#[component]
pub fn FilterBuilder(
    draft: RwSignal<FilterDraft>,
    errors: RwSignal<Vec<RowError>>,
    #[prop(into)] catalogue: Signal<Catalogue>,
    #[prop(into)] tags: Signal<Vec<String>>,
    on_apply: Callback<()>,
    on_clear: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let editor = Editor {
        draft,
        errors,
        catalogue,
        tags,
    };
    let keydown = move |event: ev::KeyboardEvent| {
        if event.key() == "Escape" {
            event.stop_propagation();
            on_cancel.run(());
        }
    };
    let general_errors = move || {
        errors.with(|errors| {
            errors
                .iter()
                .filter(|error| error.row.is_none())
                .map(|error| error.message.clone())
                .collect::<Vec<_>>()
        })
    };
    let submit = move |event: ev::SubmitEvent| {
        event.prevent_default();
        on_apply.run(());
    };

    view! {
        <form
            class="filter-editor card"
            role="region"
            aria-label="Filter editor"
            novalidate
            on:keydown=keydown
            on:submit=submit
        >
            <p class="filter-editor__title">"Show users where"</p>
            {group_editor(editor, 0, 1)}
            {move || {
                general_errors()
                    .into_iter()
                    .map(|message| view! { <p class="form-error" role="alert">{message}</p> })
                    .collect_view()
            }}
            <div class="filter-editor__actions">
                <button type="submit" class="button button--primary">
                    "Apply"
                </button>
                <button
                    type="button"
                    class="button button--secondary"
                    on:click=move |_| on_clear.run(())
                >
                    "Clear"
                </button>
                <button
                    type="button"
                    class="button button--ghost"
                    on:click=move |_| on_cancel.run(())
                >
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

/// A group: its members keyed by id, AND/OR between them, and buttons to add more.
fn group_editor(editor: Editor, group: NodeId, depth: usize) -> AnyView {
    let members = Memo::new(move |_| {
        editor.draft.with(|draft| {
            draft
                .group(group)
                .map(|group| {
                    group
                        .members
                        .iter()
                        .map(|node| (node.id(), matches!(node, Node::Group(_))))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    let combinator = Memo::new(move |_| {
        editor.draft.with(|draft| {
            draft
                .group(group)
                .map_or(Combinator::All, |group| group.combinator)
        })
    });
    let first = Memo::new(move |_| members.with(|members| members.first().map(|(id, _)| *id)));
    let toggle = move |_| {
        let next = match combinator.get_untracked() {
            Combinator::All => Combinator::Any,
            Combinator::Any => Combinator::All,
        };
        editor.edit(|draft| draft.set_combinator(group, next));
    };
    let can_nest = depth < MAX_FILTER_DEPTH;

    view! {
        <div
            class="filter-group"
            class:filter-group--nested={depth > 1}
            role="group"
            aria-label=move || {
                match combinator.get() {
                    Combinator::All => "Conditions that must all match",
                    Combinator::Any => "Conditions of which one must match",
                }
            }
        >
            <For each=move || members.get() key=|member| *member let((id, is_group))>
                <div class="filter-group__member">
                    <Show when=move || first.get() != Some(id)>
                        <button
                            type="button"
                            class="combinator"
                            aria-label=move || {
                                format!(
                                    "{}: switch every row of this group to {}",
                                    combinator.get().word(),
                                    match combinator.get() {
                                        Combinator::All => "OR",
                                        Combinator::Any => "AND",
                                    },
                                )
                            }
                            on:click=toggle
                        >
                            {move || combinator.get().word()}
                        </button>
                    </Show>
                    {if is_group {
                        view! {
                            <div class="filter-group__nested">
                                {group_editor(editor, id, depth + 1)}
                                <button
                                    type="button"
                                    class="button button--ghost button--small"
                                    on:click=move |_| editor.edit(|draft| draft.remove(id))
                                >
                                    "Remove group"
                                </button>
                            </div>
                        }
                            .into_any()
                    } else {
                        row_editor(editor, id).into_any()
                    }}
                </div>
            </For>
            <div class="filter-group__add">
                <button
                    type="button"
                    class="button button--secondary button--small"
                    on:click=move |_| {
                        editor
                            .edit(|draft| {
                                draft.add_row(group);
                            })
                    }
                >
                    "+ Add condition"
                </button>
                {can_nest
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="button button--ghost button--small"
                                on:click=move |_| {
                                    editor
                                        .edit(|draft| {
                                            draft.add_group(group);
                                        })
                                }
                            >
                                "+ Add group"
                            </button>
                        }
                    })}
            </div>
        </div>
    }
    .into_any()
}

/// One row: Column, Function and Value, a remove button, and the row's problem under it.
fn row_editor(editor: Editor, row: NodeId) -> impl IntoView {
    let read = move |pick: fn(&crate::filter_draft::Row) -> String| {
        editor
            .draft
            .with(|draft| draft.row(row).map(pick).unwrap_or_default())
    };
    let column = Memo::new(move |_| read(|row| row.column.clone()));
    let function = Memo::new(move |_| {
        editor
            .draft
            .with(|draft| draft.row(row).and_then(|row| row.function))
    });
    let kind = Memo::new(move |_| {
        editor.draft.with(|draft| {
            draft
                .row(row)
                .and_then(|row| editor.catalogue.with(|catalogue| row.kind(catalogue)))
        })
    });
    let error = Memo::new(move |_| editor.row_error(row));
    let error_id = format!("filter-row-error-{row}");
    let column_id = format!("filter-column-{row}");
    let function_id = format!("filter-function-{row}");
    let value_id = format!("filter-value-{row}");
    let search = RwSignal::new(String::new());
    let searchable = move || {
        editor.catalogue.with(|catalogue| {
            catalogue.matching(ColumnGroup::Attribute, "").len() > SEARCHABLE_AFTER
        })
    };

    let functions = move || {
        editor
            .catalogue
            .with(|catalogue| catalogue.get(&column.get()))
            .map(|column| column.functions)
            .unwrap_or_default()
    };
    let described_by = error_id.clone();

    view! {
        <div class="filter-row" class:is-invalid=move || error.get().is_some()>
            <div class="filter-row__fields">
                <Show when=searchable>
                    <div class="field field--compact">
                        <label class="field__label" for=format!("filter-find-{row}")>
                            "Find column"
                        </label>
                        <input
                            id=format!("filter-find-{row}")
                            class="input input--small"
                            type="search"
                            placeholder="Type to narrow"
                            prop:value=move || search.get()
                            on:input=move |event| search.set(event_target_value(&event))
                        />
                    </div>
                </Show>
                <div class="field field--compact">
                    <label class="field__label" for=column_id.clone()>
                        "Column"
                    </label>
                    <select
                        id=column_id.clone()
                        class="select"
                        prop:value=move || column.get()
                        on:change=move |event| {
                            let key = event_target_value(&event);
                            let catalogue = editor.catalogue.get_untracked();
                            editor.edit(|draft| draft.set_column(&catalogue, row, &key));
                        }
                    >
                        <option value="" disabled selected=move || column.get().is_empty()>
                            "Choose a column"
                        </option>
                        {move || column_options(editor, ColumnGroup::Profile, search.get(), column.get())}
                        {move || column_options(editor, ColumnGroup::Attribute, search.get(), column.get())}
                    </select>
                </div>
                <div class="field field--compact">
                    <label class="field__label" for=function_id.clone()>
                        "Function"
                    </label>
                    <select
                        id=function_id.clone()
                        class="select"
                        disabled=move || column.get().is_empty()
                        prop:value=move || function.get().map(FunctionKey::as_str).unwrap_or_default()
                        on:change=move |event| {
                            if let Some(key) = FunctionKey::from_key(&event_target_value(&event)) {
                                let catalogue = editor.catalogue.get_untracked();
                                editor.edit(|draft| draft.set_function(&catalogue, row, key));
                            }
                        }
                    >
                        {move || {
                            let current = function.get();
                            functions()
                                .into_iter()
                                .map(|key| {
                                    view! {
                                        <option value=key.as_str() selected=current == Some(key)>
                                            {function_words(key)}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <div class="field field--compact field--value">
                    {move || value_inputs(editor, row, kind.get(), &value_id, &described_by, error)}
                </div>
                <button
                    type="button"
                    class="icon-button filter-row__remove"
                    aria-label="Remove condition"
                    title="Remove condition"
                    on:click=move |_| editor.edit(|draft| draft.remove(row))
                >
                    "×"
                </button>
            </div>
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="row-error" id=error_id.clone()>
                                {message}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// The words of a function in the menu (symbols spelled out for clarity).
fn function_words(function: FunctionKey) -> &'static str {
    match function {
        FunctionKey::Equals => "equals",
        FunctionKey::NotEquals => "not equals",
        FunctionKey::GreaterThan => "greater than",
        FunctionKey::GreaterOrEqual => "greater than or equal to",
        FunctionKey::LessThan => "less than",
        FunctionKey::LessOrEqual => "less than or equal to",
        FunctionKey::Between => "is between",
        FunctionKey::MoreThanAgo => "more than … ago",
        other => other.label(),
    }
}

/// The `<optgroup>` of one menu group, narrowed by `search`; the chosen column stays.
fn column_options(
    editor: Editor,
    group: ColumnGroup,
    search: String,
    chosen: String,
) -> Option<AnyView> {
    let columns = editor.catalogue.with(|catalogue| {
        let mut columns = catalogue.matching(group, &search);
        if !columns.iter().any(|column| column.key == chosen)
            && let Some(column) = catalogue
                .get(&chosen)
                .filter(|column| column.group == group)
        {
            columns.insert(0, column);
        }
        columns
    });
    if columns.is_empty() {
        return None;
    }
    let label = match group {
        ColumnGroup::Profile => "Profile filters",
        ColumnGroup::Attribute => "Attribute filters",
    };
    Some(
        view! {
            <optgroup label=label>
                {columns
                    .into_iter()
                    .map(|column| {
                        let selected = column.key == chosen;
                        view! {
                            <option value=column.key selected=selected>
                                {column.label}
                            </option>
                        }
                    })
                    .collect_view()}
            </optgroup>
        }
        .into_any(),
    )
}

/// The inputs a row's value needs: one labelled "Value", plus a second for ranges and a
/// unit for relative times.
fn value_inputs(
    editor: Editor,
    row: NodeId,
    kind: Option<ValueKind>,
    id: &str,
    described_by: &str,
    error: Memo<Option<String>>,
) -> AnyView {
    let id = id.to_owned();
    let described_by = described_by.to_owned();
    let invalid = move || error.get().is_some().to_string();
    let first = move || {
        editor
            .draft
            .with(|draft| draft.row(row).map(|row| row.value.first.clone()))
            .unwrap_or_default()
    };
    let second = move || {
        editor
            .draft
            .with(|draft| draft.row(row).map(|row| row.value.second.clone()))
            .unwrap_or_default()
    };
    let set_first = move |event: ev::Event| {
        let text = event_target_value(&event);
        editor.edit(|draft| draft.edit_value(row, |value| value.first = text));
    };
    let set_second = move |event: ev::Event| {
        let text = event_target_value(&event);
        editor.edit(|draft| draft.edit_value(row, |value| value.second = text));
    };
    let label = view! {
        <label class="field__label" for=id.clone()>
            "Value"
        </label>
    };
    let single = |input_type: &'static str, mode: &'static str, placeholder: &'static str| {
        view! {
            <input
                id=id.clone()
                class="input"
                type=input_type
                inputmode=mode
                placeholder=placeholder
                autocomplete="off"
                aria-invalid=invalid
                aria-describedby=described_by.clone()
                prop:value=first
                on:input=set_first
            />
        }
    };
    match kind {
        None => view! {
            {label}
            <input id=id.clone() class="input" type="text" disabled placeholder="Choose a column first" />
        }
        .into_any(),
        Some(ValueKind::None) => view! {
            <span class="field__label">"Value"</span>
            <span class="filter-row__no-value">"No value needed"</span>
        }
        .into_any(),
        Some(ValueKind::Text) => view! { {label} {single("text", "text", "Text")} }.into_any(),
        Some(ValueKind::Number) => {
            view! { {label} {single("text", "decimal", "Number")} }.into_any()
        }
        Some(ValueKind::Duration) => {
            view! { {label} {single("text", "text", "Like 90s, 10m or 1h 30m")} }.into_any()
        }
        Some(ValueKind::DateTime) => view! { {label} {single("datetime-local", "none", "")} }.into_any(),
        Some(kind @ (ValueKind::NumberRange | ValueKind::DurationRange | ValueKind::DateTimeRange)) => {
            let (input_type, mode) = match kind {
                ValueKind::NumberRange => ("text", "decimal"),
                ValueKind::DurationRange => ("text", "text"),
                _ => ("datetime-local", "none"),
            };
            view! {
                {label}
                <div class="range-inputs">
                    {single(input_type, mode, "From")}
                    <span class="range-inputs__and">"and"</span>
                    <input
                        class="input"
                        type=input_type
                        inputmode=mode
                        placeholder="To"
                        aria-label="Upper value"
                        aria-invalid=invalid
                        aria-describedby=described_by.clone()
                        prop:value=second
                        on:input=set_second
                    />
                </div>
            }
            .into_any()
        }
        Some(ValueKind::Relative) => {
            let unit = move || {
                editor
                    .draft
                    .with(|draft| draft.row(row).map(|row| row.value.unit))
                    .unwrap_or(TimeUnit::Days)
            };
            let set_unit = move |event: ev::Event| {
                let unit = match event_target_value(&event).as_str() {
                    "minutes" => TimeUnit::Minutes,
                    "hours" => TimeUnit::Hours,
                    _ => TimeUnit::Days,
                };
                editor.edit(|draft| draft.edit_value(row, |value| value.unit = unit));
            };
            view! {
                {label}
                <div class="range-inputs">
                    {single("text", "numeric", "Amount")}
                    <select
                        class="select"
                        aria-label="Unit"
                        prop:value=move || match unit() {
                            TimeUnit::Minutes => "minutes",
                            TimeUnit::Hours => "hours",
                            TimeUnit::Days => "days",
                        }
                        on:change=set_unit
                    >
                        <option value="minutes">"minutes"</option>
                        <option value="hours">"hours"</option>
                        <option value="days">"days"</option>
                    </select>
                </div>
            }
            .into_any()
        }
        Some(ValueKind::Channel) => view! {
            {label}
            <select
                id=id.clone()
                class="select"
                aria-invalid=invalid
                aria-describedby=described_by.clone()
                prop:value=first
                on:change=set_first
            >
                <option value="" disabled selected=move || first().is_empty()>
                    "Choose a channel"
                </option>
                {KNOWN_CHANNELS
                    .into_iter()
                    .map(|channel| view! { <option value=channel>{channel_name(channel)}</option> })
                    .collect_view()}
            </select>
        }
        .into_any(),
        Some(ValueKind::ChannelList) => view! {
            <fieldset class="checkbox-list" aria-describedby=described_by.clone()>
                <legend class="field__label">"Value"</legend>
                {KNOWN_CHANNELS
                    .into_iter()
                    .map(|channel| {
                        let checked = move || {
                            editor
                                .draft
                                .with(|draft| {
                                    draft
                                        .row(row)
                                        .is_some_and(|row| {
                                            row.value.items.iter().any(|item| item == channel)
                                        })
                                })
                        };
                        view! {
                            <label class="checkbox-list__item">
                                <input
                                    type="checkbox"
                                    prop:checked=checked
                                    on:change=move |event| {
                                        let on = event_target_checked(&event);
                                        editor
                                            .edit(|draft| {
                                                draft
                                                    .edit_value(
                                                        row,
                                                        |value| {
                                                            value.items.retain(|item| item != channel);
                                                            if on {
                                                                value.items.push(channel.to_owned());
                                                            }
                                                        },
                                                    )
                                            })
                                    }
                                />
                                {channel_name(channel)}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
        .into_any(),
        Some(ValueKind::Tag) => {
            let list = format!("{id}-tags");
            view! {
                {label}
                <input
                    id=id.clone()
                    class="input"
                    type="text"
                    list=list.clone()
                    placeholder="Tag"
                    autocomplete="off"
                    aria-invalid=invalid
                    aria-describedby=described_by.clone()
                    prop:value=first
                    on:input=set_first
                />
                {tag_suggestions(editor, list)}
            }
            .into_any()
        }
        Some(ValueKind::TagList) => tag_list_input(editor, row, id, described_by, error).into_any(),
    }
}

/// A `<datalist>` of the bot's tags.
fn tag_suggestions(editor: Editor, id: String) -> impl IntoView {
    view! {
        <datalist id=id>
            {move || {
                editor
                    .tags
                    .get()
                    .into_iter()
                    .map(|tag| view! { <option value=tag></option> })
                    .collect_view()
            }}
        </datalist>
    }
}

/// Several tags, with the bot's tags suggested.
fn tag_list_input(
    editor: Editor,
    row: NodeId,
    id: String,
    described_by: String,
    error: Memo<Option<String>>,
) -> impl IntoView {
    let items = Signal::derive(move || {
        editor
            .draft
            .with(|draft| draft.row(row).map(|row| row.value.items.clone()))
            .unwrap_or_default()
    });
    let on_change = Callback::new(move |next: Vec<String>| {
        editor.edit(|draft| draft.edit_value(row, |value| value.items = next));
    });
    view! {
        <label class="field__label" for=id.clone()>
            "Value"
        </label>
        <TagInput
            id
            items
            on_change
            suggestions=editor.tags
            described_by
            invalid=Signal::derive(move || error.get().is_some())
        />
    }
}
