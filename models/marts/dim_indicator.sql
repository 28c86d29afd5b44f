with

indicators as (

    select * from {{ ref('indicators') }}

),

frames as (

    select * from {{ ref('indicator_frames') }}

),

lexicon as (

    select * from {{ ref('lexicon') }}

),

-- the words that can name each indicator, per slot of its frame (generated from the rules)
frame_words as (

    select
        frames.indicator_code,
        frames.slot,
        string_agg(distinct lexicon.word, ';' order by lexicon.word) as words,

    from frames
    inner join lexicon
        on lexicon.role = frames.slot
        and lexicon.class = frames.class
    group by frames.indicator_code, frames.slot

),

final as (

    select
        indicators.code as indicator_code,
        indicators.domain,
        indicators.name_zh,
        indicators.name_en,
        indicators.unit,
        indicators.kind,
        nullif(indicators.numerator_code, '') as numerator_code,
        nullif(indicators.denominator_code, '') as denominator_code,
        objects.words as object_words_zh,
        actions.words as action_words_zh,
        indicators.source,
        indicators.notes,
        nullif(indicators.mart, '') as mart,
        indicators.is_main,
        nullif(indicators.part_of, '') as part_of,

    from indicators
    left join frame_words as objects
        on objects.indicator_code = indicators.code
        and objects.slot = 'object'
    left join frame_words as actions
        on actions.indicator_code = indicators.code
        and actions.slot = 'action'

)

select * from final
