-- Guardian consent per student and school year (PIPL arts. 31 and 15): the decisions as recorded, never
-- overwritten (the latest counts), each with the version of the notice the guardian was shown and how it came
-- (a scanned paper form, or online through the guardian's own one-time link).
alter table campaign add column school_year smallint;
update campaign set school_year = extract(year from opens_at at time zone 'Asia/Shanghai')
    - case when extract(month from opens_at at time zone 'Asia/Shanghai') >= 8 then 0 else 1 end;
alter table campaign alter column school_year set not null;

create table consent_notice (
    version      int primary key,
    title        varchar(200) not null,
    body         text not null,
    published_at timestamptz not null,
    published_by varchar(100) not null
);

insert into consent_notice (version, title, body, published_at, published_by) values (1,
'学生心理健康测评家长（监护人）知情同意书 / Guardian information and consent: student mental-health screening',
'尊敬的家长（监护人）：

为落实“医教结合”心理健康服务，学校每学期组织学生心理健康测评。请您阅读以下内容后作出选择。

一、测评内容：抑郁、焦虑等常用心理健康量表，约 10–15 分钟，线上或纸质作答。
二、信息用途：测评结果仅用于学校心理老师了解学生状况、提供关心和辅导；结果提示较高风险时，学校会与您联系，并经“绿色通道”转介至合作医院评估。
三、谁能看到：仅本校心理老师等授权人员可查看孩子的结果；教育局只看到不含姓名的汇总统计；每一次查看都会被记录。
四、保存期限：测评答案与分数自测评学年结束起保存 3 年，届满后删除；您撤回同意后，学校将删除孩子本学年的测评数据（已在进行中的医院转介为保障孩子安全所需的信息除外）。
五、您的权利：参加与否完全自愿，不同意不会对孩子有任何影响；您可随时通过本链接或向学校撤回同意。
六、24 小时心理援助热线：如孩子或家人需要帮助，请随时拨打。

Dear parent or guardian: each semester the school invites students to a short mental-health questionnaire. Results are seen only by the school''s authorised counsellors; the education bureau sees counts without names. If a result suggests high risk, the school contacts you and may refer your child to a partner hospital. Answers are kept for 3 years after the school year. Taking part is voluntary, declining has no consequence for your child, and you may withdraw at any time (the school then deletes this year''s answers, except what a hospital referral already under way needs for your child''s safety).',
now(), 'xinqiao');

create table guardian_consent (
    id                  uuid primary key,
    student_id          uuid not null references student (id) on delete cascade,
    school_id           varchar(10) not null,
    school_year         smallint not null,
    decision            varchar(9) not null check (decision in ('GRANTED', 'DECLINED', 'WITHDRAWN')),
    method              varchar(6) not null check (method in ('PAPER', 'ONLINE')),
    notice_version      int not null references consent_notice (version),
    decided_on          date not null,           -- the date on the form, or the day the guardian answered online
    recorded_at         timestamptz not null,
    recorded_by         varchar(100) not null,   -- the staff member who uploaded the form, or 'guardian-link'
    form_scan           bytea,                   -- the signed paper form (PDF, JPEG or PNG)
    form_scan_type      varchar(20),
    retained_for_safety varchar(300),            -- a withdrawal that keeps what an open referral needs (PIPL art. 13)
    check ((method = 'PAPER') = (form_scan is not null))
);
create index guardian_consent_student on guardian_consent (student_id, school_year, recorded_at desc);
create index guardian_consent_school on guardian_consent (school_id, school_year);

-- The guardian's own one-time link: a code like a student's access code (keyed hash to look it up, sealed to print
-- it), spent by a decline; a grant leaves it open for a withdrawal.
create table guardian_link (
    code_hash   varchar(43) primary key,
    code_sealed bytea not null,
    student_id  uuid not null references student (id) on delete cascade,
    school_year smallint not null,
    issued_at   timestamptz not null,
    spent_at    timestamptz,
    unique (student_id, school_year)
);
