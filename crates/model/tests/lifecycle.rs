//! Properties of designation status over time, on arbitrary event dates (including
//! contradictory ones: revoked before effective, effective before announced).

use interdict_model::*;
use jiff::civil::Date;
use jiff::ToSpan;
use proptest::prelude::*;

fn day(offset: i64) -> Date {
    jiff::civil::date(2015, 1, 1)
        .checked_add(offset.days())
        .expect("within range")
}

fn event_date() -> impl Strategy<Value = Option<EventDate>> {
    prop::option::of((0i64..4000, any::<bool>()).prop_map(|(d, exact)| {
        if exact {
            EventDate::On(day(d))
        } else {
            EventDate::OnOrBefore(day(d))
        }
    }))
}

fn designation() -> impl Strategy<Value = DatedDesignation> {
    (
        event_date(),
        event_date(),
        event_date(),
        event_date(),
        event_date(),
        prop::collection::vec(event_date(), 0..3),
    )
        .prop_map(
            |(announced, notified, published, effective, revoked, reviewed)| DatedDesignation {
                program: "FTO".into(),
                program_name: None,
                authority: Authority {
                    legal_basis: vec!["INA §219 (8 U.S.C. §1189)".into()],
                    regulations: vec![],
                    body: "U.S. Department of State".into(),
                },
                events: DesignationEvents {
                    announced,
                    notified,
                    published,
                    effective,
                    revoked,
                    reviewed: reviewed.into_iter().flatten().collect(),
                    ..Default::default()
                },
            },
        )
}

fn rank(s: DesignationStatus) -> u8 {
    match s {
        DesignationStatus::NotAnnounced => 0,
        DesignationStatus::Announced { .. } => 1,
        DesignationStatus::InForce { .. } => 2,
        DesignationStatus::Revoked { .. } => 3,
    }
}

proptest! {
    #[test]
    fn never_in_force_before_effective_and_always_revoked_after_revocation(
        d in designation(),
        at in 0i64..4200,
    ) {
        let on = day(at);
        let status = d.status_on(on);
        if status.is_in_force() {
            let effective = d.events.effective.expect("in force without an effective date");
            prop_assert!(effective.certain_by() <= on);
            prop_assert!(d.events.revoked.is_none_or(|r| r.certain_by() > on));
        }
        if let Some(effective) = d.events.effective {
            if on < effective.certain_by() {
                prop_assert!(!status.is_in_force());
            }
        }
        if let Some(revoked) = d.events.revoked {
            prop_assert_eq!(
                matches!(status, DesignationStatus::Revoked { .. }),
                revoked.certain_by() <= on
            );
        }
        let known = d.events.known_from().is_some_and(|k| k <= on);
        let revoked = d.events.revoked.is_some_and(|r| r.certain_by() <= on);
        if !known && !revoked {
            prop_assert_eq!(status, DesignationStatus::NotAnnounced);
        }
    }

    #[test]
    fn status_only_moves_forward(d in designation(), a in 0i64..4200, b in 0i64..4200) {
        let (early, late) = (day(a.min(b)), day(a.max(b)));
        prop_assert!(rank(d.status_on(early)) <= rank(d.status_on(late)));
    }

    #[test]
    fn a_review_is_due_within_five_years_of_effect_or_last_review(
        d in designation(),
        at in 0i64..4200,
    ) {
        let on = day(at);
        match d.review_due(on) {
            None => prop_assert!(!d.status_on(on).is_in_force()),
            Some(due) => {
                prop_assert!(d.status_on(on).is_in_force());
                let base = d.events.reviewed.iter()
                    .filter(|r| r.happened_by(on))
                    .map(|r| r.certain_by())
                    .max()
                    .or(d.events.effective.map(|e| e.certain_by()))
                    .expect("in force");
                prop_assert!(due > base);
                prop_assert!(due <= base.checked_add(5.years()).expect("in range"));
            }
        }
    }
}
